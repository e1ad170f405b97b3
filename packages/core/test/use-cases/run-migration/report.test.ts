import { describe, expect, test } from '@jest/globals';
import type { Task } from '@aws-sdk/client-ecs';
import { explainMigration, migrationSummaryMarkdown, type MigrationFacts } from '../../../src/use-cases/run-migration/report';

const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef';

/** A migration task with an essential FireLens log router, stopped after its migration container exited. */
function facts(exits: { migrate?: number; 'log-router'?: number }, status: MigrationFacts['status']): MigrationFacts {
  const task: Task = {
    taskArn: TASK_ARN,
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    // ECS lists containers in no particular order: the log router first must not make it the culprit.
    containers: [
      { name: 'log-router', exitCode: exits['log-router'] },
      { name: 'migrate', exitCode: exits.migrate },
    ],
  };
  return {
    region: 'us-east-1',
    cluster: 'prod',
    task,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:7',
    container: 'migrate',
    containers: [{ name: 'log-router', essential: true }, { name: 'migrate' }],
    command: ['npm', 'run', 'migrate'],
    startedAt: 0,
    finishedAt: 42_000,
    timeoutMs: 900_000,
    status,
    lines: ['migrated 3 files'],
  };
}

describe('explainMigration', () => {
  test('a migration that exited 0 succeeds, with the stopped log router reported for information', () => {
    expect(explainMigration(facts({ migrate: 0, 'log-router': 143 }, 'succeeded'))).toBe(
      'Migration task 0123456789abcdef0123456789abcdef (shop:7) succeeded: container "migrate" exited with code 0 after 42s. ' +
        'Other containers, for information: "log-router" (essential) exited with code 143, ended by SIGTERM as the task stopped.',
    );
  });

  test('a migration that exited 1 fails on its own exit code, not on the log router stopped after it', () => {
    expect(explainMigration(facts({ migrate: 1, 'log-router': 143 }, 'failed'))).toBe(
      'Migration task 0123456789abcdef0123456789abcdef (shop:7) failed: essential container "migrate" exited with code 1. Its log ends with: migrated 3 files.',
    );
  });

  test('a log router that crashed fails the migration that exited 0, saying it may have been cut short', () => {
    expect(explainMigration(facts({ migrate: 0, 'log-router': 1 }, 'failed'))).toMatch(
      /^Migration task \w+ \(shop:7\) failed: container "migrate" exited with code 0, but essential container "log-router" exited with code 1, not the 143 or 137 of a container stopped after the migration ended\. Any essential container that exits stops the task, so it may have cut the migration short\./,
    );
  });

  test('a migration stopped because its log router crashed blames the log router', () => {
    expect(explainMigration(facts({ migrate: 143, 'log-router': 1 }, 'failed'))).toMatch(
      /failed: essential container "log-router" exited with code 1\./,
    );
  });
});

describe('migrationSummaryMarkdown', () => {
  test('lists the other containers and how each ended', () => {
    const summary = migrationSummaryMarkdown(facts({ migrate: 0, 'log-router': 143 }, 'succeeded'));
    expect(summary).toContain('### Other containers of the task');
    expect(summary).toContain(
      '| log-router | yes | 143 | "log-router" (essential) exited with code 143, ended by SIGTERM as the task stopped |',
    );
    expect(summary).toMatch(/\| Exit code \| 0 \|/);
  });
});
