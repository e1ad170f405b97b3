import { describe, expect, test } from '@jest/globals';
import { runTaskInput, type MigrationTaskRequest } from '../../../src/use-cases/run-migration/run-task';
import { auditTags, startedByFor } from '../../../src/use-cases/run-migration/started-by';
import { quoteError } from '../../../src/use-cases/run-migration/report';

const request: MigrationTaskRequest = {
  cluster: 'prod',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  placement: { launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } } },
  container: 'web',
  command: ['npm', 'run', 'migrate'],
  environment: [{ name: 'MODE', value: 'up' }],
  startedBy: 'run-migration/42',
  tags: [{ key: 'github:repository', value: 'acme/web' }],
};

describe('runTaskInput', () => {
  test('one task, overrides on the migration container only, placement and audit fields', () => {
    expect(runTaskInput(request)).toEqual({
      cluster: 'prod',
      taskDefinition: request.taskDefinitionArn,
      count: 1,
      startedBy: 'run-migration/42',
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } },
      overrides: {
        containerOverrides: [{ name: 'web', command: ['npm', 'run', 'migrate'], environment: [{ name: 'MODE', value: 'up' }] }],
      },
      tags: [{ key: 'github:repository', value: 'acme/web' }],
    });
  });

  test('nothing to override, nothing to tag: neither is sent', () => {
    const input = runTaskInput({ ...request, command: undefined, environment: [], tags: [] });
    expect(input.overrides).toBeUndefined();
    expect(input.tags).toBeUndefined();
  });
});

describe('startedBy and tags', () => {
  test("startedBy names the action and the run, within ECS's 36 characters", () => {
    expect(startedByFor({ GITHUB_RUN_ID: '12345678901' })).toBe('run-migration/12345678901');
    expect(startedByFor({})).toBe('run-migration');
    expect(startedByFor({ GITHUB_RUN_ID: '9'.repeat(40) })).toHaveLength(36);
  });

  test('tags name the repository, commit and run; absent variables give no tag', () => {
    const tags = auditTags({
      GITHUB_REPOSITORY: 'acme/web',
      GITHUB_SHA: 'abc123',
      GITHUB_RUN_ID: '7',
      GITHUB_WORKFLOW: 'Deploy (prod) #1',
    });
    expect(tags).toEqual([
      { key: 'ecs-deploy-suite:action', value: 'run-migration' },
      { key: 'github:repository', value: 'acme/web' },
      { key: 'github:commit', value: 'abc123' },
      { key: 'github:workflow', value: 'Deploy _prod_ _1' },
      { key: 'github:run', value: 'https://github.com/acme/web/actions/runs/7' },
    ]);
  });
});

describe('verdict helpers', () => {
  test('the quoted lines start at the last error line', () => {
    expect(quoteError(['> Migrating files:', 'Error: boom', 'Detail: dup', ''])).toBe('Error: boom / Detail: dup');
    expect(quoteError(['working...', 'still working...'])).toBe('still working...');
    expect(quoteError([])).toBeUndefined();
  });
});
