import { describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure, silentLogger } from '../../../src/common';
import { runMigration, type MigrationOutputs, type MigrationRequest } from '../../../src/use-cases/run-migration';
import { fakeClock } from '../../support/fake-clock';
import { ARN, described } from '../../support/task-definitions';

const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef';

function request(overrides: Partial<MigrationRequest> = {}): MigrationRequest {
  return {
    region: 'us-east-1',
    cluster: 'prod',
    definition: { kind: 'reference', reference: 'web:8' },
    command: ['npm', 'run', 'migrate'],
    environment: [{ name: 'DATABASE_PASSWORD', value: 's3cret-value' }],
    subnets: ['subnet-0a1b2c3d'],
    securityGroups: [],
    timeoutMs: 60_000,
    allowConcurrent: false,
    stopOnCancel: false,
    ...overrides,
  };
}

function stopped(exitCode: number): Task {
  return {
    taskArn,
    lastStatus: 'STOPPED',
    startedBy: 'run-migration/42',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    stoppedAt: new Date('2026-01-01T00:00:12Z'),
    containers: [{ name: 'web', exitCode }],
  };
}

/** A registered revision, no other migration running, a task that runs once and stops with `exitCode`. */
function world(exitCode: number, logLines: string[]) {
  const ecs = mockClient(ECSClient);
  const logs = mockClient(CloudWatchLogsClient);
  ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: [] });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn, lastStatus: 'PROVISIONING' }] });
  ecs.on(DescribeTasksCommand).resolvesOnce({ tasks: [{ taskArn, lastStatus: 'RUNNING' }] }).resolves({ tasks: [stopped(exitCode)] });
  logs
    .on(GetLogEventsCommand)
    .resolvesOnce({ events: logLines.map((message) => ({ message })), nextForwardToken: 'f/1' })
    .resolves({ events: [], nextForwardToken: 'f/1' });
  const outputs: MigrationOutputs[] = [];
  const summaries: string[] = [];
  const secrets: string[] = [];
  const log = silentLogger();
  const ports = {
    log,
    clock: fakeClock(),
    setSecret: (value: string) => void secrets.push(value),
    writeSummary: async (markdown: string) => void summaries.push(markdown),
    setOutputs: (partial: MigrationOutputs) => void outputs.push(partial),
    env: { GITHUB_RUN_ID: '42' },
  };
  const clients = { ecs: ecs as unknown as ECSClient, logs: logs as unknown as CloudWatchLogsClient };
  return { ecs, clients, ports, log, outputs, summaries, secrets };
}

describe('runMigration', () => {
  test('a migration container that exits 0 succeeds, with the task, the revision and exit code 0 as outputs', async () => {
    const { ecs, clients, ports, log, outputs, summaries, secrets } = world(0, ['applied 3 migrations']);

    const result = await runMigration(request(), clients, ports);

    expect(result).toMatchObject({ taskArn, taskDefinitionArn: ARN, exitCode: 0 });
    expect(outputs).toEqual([{ taskDefinitionArn: ARN }, { taskArn }, { exitCode: 0 }]);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(RunTaskCommand)[0].args[0].input).toMatchObject({ taskDefinition: ARN, startedBy: 'run-migration/42', count: 1 });
    expect(secrets).toEqual(['s3cret-value']);
    expect(log.lines).toContain('| applied 3 migrations');
    expect(log.lines.at(-1)).toBe('✅ Migration task 0123456789abcdef (web:8) succeeded: container "web" exited with code 0 after 12s.');
    expect(summaries[0]).toContain('Migration in prod: succeeded');
  });

  test('a non-zero exit fails with the exit code and the last log lines, after setting every output', async () => {
    const { clients, ports, log, outputs, summaries } = world(3, ['running 002_add_index', 'ERROR: relation "orders" does not exist']);

    const failure = runMigration(request(), clients, ports);

    await expect(failure).rejects.toThrow(ActionFailure);
    await expect(failure).rejects.toThrow(/exited with code 3.*Its log ends with: ERROR: relation "orders" does not exist\./);
    expect(outputs).toEqual([{ taskDefinitionArn: ARN }, { taskArn }, { exitCode: 3 }]);
    expect(log.lines).toContain('Last log lines of container "web" (log group /ecs/web, stream ecs/web/0123456789abcdef):');
    expect(log.lines).toContain('  | ERROR: relation "orders" does not exist');
    expect(summaries[0]).toContain('Migration in prod: failed');
  });

  test('another running migration of the family is refused before anything is registered or started', async () => {
    const { ecs, clients, ports, outputs } = world(0, []);
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:us-east-1:123456789012:task/prod/other'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/other', lastStatus: 'RUNNING', startedBy: 'run-migration/41' }] });

    await expect(runMigration(request(), clients, ports)).rejects.toThrow(/Another migration of task definition family web is still running in cluster prod: task other/);
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(outputs).toEqual([]);
  });

  test('a cancellation while the task runs leaves it running and says how to watch it', async () => {
    const { ecs, clients, ports } = world(0, []);
    const signal = { aborted: false };
    ecs.on(DescribeTasksCommand).callsFake(() => {
      signal.aborted = true;
      return { tasks: [{ taskArn, lastStatus: 'RUNNING' }] };
    });

    await expect(runMigration(request(), clients, { ...ports, signal })).rejects.toThrow(/The workflow was cancelled, but migration task 0123456789abcdef is still running in cluster prod/);
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });
});
