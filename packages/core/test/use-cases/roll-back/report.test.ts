import { describe, expect, test } from '@jest/globals';
import { headline, rollbackFailedByEcs, rollbackSummaryMarkdown, type RollbackStory } from '../../../src/use-cases/roll-back/report';

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const at = Date.parse('2026-11-25T12:00:00Z');

function story(overrides: Partial<RollbackStory> = {}): RollbackStory {
  return {
    region: 'us-east-1',
    cluster: 'prod',
    service: 'web',
    reason: 'verify-health failed',
    fromArn: td(8),
    targetArn: td(7),
    chosenBy: "the 'task-definition' input",
    release: { status: 'SUCCESSFUL', taskDefinitionArn: td(8), createdAt: new Date(at - 60_000), finishedAt: new Date(at - 30_000) },
    mechanism: 'UpdateService to web:7',
    verdict: 'rolled-back',
    startedAt: at,
    finishedAt: at + 12_300,
    ...overrides,
  };
}

describe('headline', () => {
  test.each<[string, Partial<RollbackStory>, string]>([
    ['a rollback', {}, 'Rolled back web (web:8 → web:7) in 12.3s with UpdateService to web:7.'],
    [
      'a rollback left to run',
      { verdict: 'started' },
      'Started rolling back web (web:8 → web:7) with UpdateService to web:7; wait is false, so not watching it finish.',
    ],
    [
      "ECS's own rollback",
      { verdict: 'already-there', mechanism: undefined, release: { status: 'ROLLBACK_SUCCESSFUL', taskDefinitionArn: td(8) } },
      'Nothing to roll back: ECS already rolled web back from web:8 to web:7 on its own (service deployment ROLLBACK_SUCCESSFUL).',
    ],
    [
      "ECS's own rollback, as the history tells it: the release is the target, the service stands on the revision returned to",
      {
        verdict: 'already-there',
        mechanism: undefined,
        release: { status: 'ROLLBACK_SUCCESSFUL', taskDefinitionArn: td(7), targetTaskDefinitionArn: td(8) },
      },
      'Nothing to roll back: ECS already rolled web back from web:8 to web:7 on its own (service deployment ROLLBACK_SUCCESSFUL).',
    ],
    [
      "CodeDeploy's own rollback deployment",
      {
        verdict: 'already-there',
        mechanism: undefined,
        release: {
          status: 'InProgress',
          deploymentId: 'd-ROLLBACK3',
          taskDefinitionArn: td(7),
          targetTaskDefinitionArn: td(8),
          ownRollback: 'CodeDeploy rollback deployment d-ROLLBACK3 of deployment d-RELEASE02',
        },
      },
      'Nothing to roll back: CodeDeploy already rolled web back from web:8 to web:7 on its own (CodeDeploy rollback deployment d-ROLLBACK3 of deployment d-RELEASE02).',
    ],
    [
      'a service already on the target',
      { verdict: 'already-there', mechanism: undefined, fromArn: td(7), release: { status: 'SUCCESSFUL', taskDefinitionArn: td(7) } },
      'Nothing to roll back: web already runs web:7.',
    ],
    [
      'a failed rollback',
      { verdict: 'failed' },
      'Rollback of web (web:8 → web:7) FAILED: the service is not back on web:7 and needs a person.',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(headline(story(overrides))).toBe(expected);
  });
});

describe('rollbackFailedByEcs', () => {
  test("says ECS's own rollback to the target failed, naming the service deployment, and never that it rolled back", () => {
    const release = {
      status: 'ROLLBACK_FAILED',
      serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/r4nd0m',
      taskDefinitionArn: td(8),
    };
    const message = rollbackFailedByEcs(story({ verdict: 'already-there', mechanism: undefined, release }));
    expect(message).toMatch(/^Rollback of web \(web:8 → web:7\) FAILED: the service is not back on web:7 and needs a person\. /);
    expect(message).toContain(
      'ECS already rolled web back to web:7 (service deployment r4nd0m) and that rollback failed (ROLLBACK_FAILED)',
    );
    expect(headline(story({ verdict: 'already-there', mechanism: undefined, release }))).not.toContain('already rolled');
  });
});

describe('rollbackSummaryMarkdown', () => {
  test('tells the reason, from and to, the mechanism and a timeline from the release on', () => {
    const markdown = rollbackSummaryMarkdown(story());
    expect(markdown).toContain('## ↩️ Auto-rollback web');
    expect(markdown).toContain('| Reason | verify-health failed |');
    expect(markdown).toContain('| From | web:8 |');
    expect(markdown).toContain("| To | web:7, chosen by the 'task-definition' input |");
    expect(markdown).toContain('| Mechanism | UpdateService to web:7 |');
    expect(markdown).toContain('| Rolled back | true |');
    expect(markdown).toContain(
      [
        '+   0.0s  deployment of web:8 started',
        '+  30.0s  deployment of web:8 ended SUCCESSFUL',
        '+  60.0s  UpdateService to web:7 (reason: verify-health failed)',
        '+  72.3s  verdict: rolled-back',
      ].join('\n'),
    );
  });

  test('says plainly when nothing was changed', () => {
    const markdown = rollbackSummaryMarkdown(story({ verdict: 'already-there', mechanism: undefined, reason: undefined }));
    expect(markdown).toContain('| Reason | (no reason given) |');
    expect(markdown).toContain('| Mechanism | none: nothing to change |');
    expect(markdown).toContain('| Rolled back | false |');
    expect(markdown).toContain('auto-rollback: the service already runs web:7');
  });
});

describe('rollbackSummaryMarkdown of a CODE_DEPLOY service', () => {
  test('links the CodeDeploy deployment of the release, not the ECS service deployments', () => {
    const markdown = rollbackSummaryMarkdown(
      story({ release: { status: 'Succeeded', deploymentId: 'd-RELEASE02', taskDefinitionArn: td(8) } }),
    );

    expect(markdown).toContain(
      '[CodeDeploy deployment d-RELEASE02 in the console](https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-RELEASE02?region=us-east-1)',
    );
    expect(markdown).not.toContain('Service deployments in the console');
  });
});
