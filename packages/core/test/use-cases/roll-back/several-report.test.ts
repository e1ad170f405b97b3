import { describe, expect, test } from '@jest/globals';
import { severalRollbacksMarkdown, type ServiceRollbackRow } from '../../../src/use-cases/roll-back/several-report';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition';

function row(service: string, fields: Partial<ServiceRollbackRow> & { rolledBack: boolean; reason: string }): ServiceRollbackRow {
  return {
    output: {
      cluster: 'prod',
      service,
      rolledBack: fields.rolledBack,
      taskDefinitionArn: `${ARN}/${service}:1`,
      durationSeconds: 4,
      reason: fields.reason,
    },
    failed: fields.failed ?? false,
    verdict: fields.verdict ?? 'rolled-back',
    fromArn: `${ARN}/${service}:2`,
    details: fields.details ?? [],
  };
}

describe('severalRollbacksMarkdown', () => {
  const markdown = severalRollbacksMarkdown([
    row('web', { rolledBack: true, reason: 'Rolled back web (web:2 → web:1) in 4.0s with UpdateService.', details: ['## web story'] }),
    row('cron', { rolledBack: false, verdict: 'already-there', reason: 'Nothing to roll back: cron already runs cron:1.' }),
    row('worker', { rolledBack: false, failed: true, verdict: 'failed', reason: 'Rollback of worker FAILED: exited with code 3' }),
  ]);

  test('says how many of the services failed in its title', () => {
    expect(markdown).toMatch(/^## ❌ Auto-rollback of 3 services: 1 failed$/m);
  });

  test('has one row per service: from, to, whether it was rolled back, and what happened', () => {
    expect(markdown).toContain('| ↩️ | web | web:2 | web:1 | true | 4s | Rolled back web (web:2 → web:1) in 4.0s with UpdateService. |');
    expect(markdown).toContain('| ℹ️ | cron | cron:2 | cron:1 | false | 4s | Nothing to roll back: cron already runs cron:1. |');
    expect(markdown).toContain('| ❌ | worker | worker:2 | worker:1 | false | 4s | Rollback of worker FAILED: exited with code 3 |');
  });

  test("puts each service's own summary below the table, folded", () => {
    expect(markdown).toContain('<details><summary>web</summary>\n\n## web story\n\n</details>');
    expect(markdown).not.toContain('<summary>cron</summary>');
  });
});
