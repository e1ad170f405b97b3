import { describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
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
  ecs
    .on(DescribeTasksCommand)
    .resolvesOnce({ tasks: [{ taskArn, lastStatus: 'RUNNING' }] })
    .resolves({ tasks: [stopped(exitCode)] });
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
    expect(ecs.commandCalls(RunTaskCommand)[0].args[0].input).toMatchObject({
      taskDefinition: ARN,
      startedBy: 'run-migration/42',
      count: 1,
    });
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
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/other', lastStatus: 'RUNNING', startedBy: 'run-migration/41' }],
    });

    await expect(runMigration(request(), clients, ports)).rejects.toThrow(
      /Another migration of task definition family web is still running in cluster prod: task other/,
    );
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(outputs).toEqual([]);
  });

  test('the pre-flight checks report one table in the log, before the task starts, and in the summary', async () => {
    const { clients, ports, log, summaries } = world(0, []);

    await runMigration(request(), clients, ports);

    const table = [
      'Pre-flight checks (3):',
      // No image: the revision is run as it is, so it must be ACTIVE (ECS runs no new task of an INACTIVE one).
      '  pass  Revision exists and is ACTIVE  web:8 is ACTIVE',
      "  pass  Subnets for awsvpc             awsvpc network mode: subnets subnet-0a1b2c3d (from the 'subnets' input)",
      '  pass  No concurrent migration        no other migration of family web is running in cluster prod',
    ].join('\n');
    expect(log.lines.filter((line) => line.startsWith('Pre-flight checks'))).toEqual([table]);
    expect(log.lines.indexOf(table)).toBeLessThan(log.lines.findIndex((line) => line.startsWith('Started task')));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain('Migration in prod: succeeded');
    expect(summaries[0]).toContain('### Pre-flight checks');
    expect(summaries[0]).toContain(
      '| ✅ pass | No concurrent migration |   | no other migration of family web is running in cluster prod |',
    );
  });

  test("a failing pre-flight check stops the migration before anything is registered or started, with today's message", async () => {
    const { ecs, clients, ports, log, outputs, summaries } = world(0, []);

    const failure = runMigration(request({ subnets: [] }), clients, ports);

    await expect(failure).rejects.toThrow(
      "Input 'subnets' is needed: task definition family web uses the awsvpc network mode, so the task must be placed in subnets, and no 'service' was given to borrow them from. " +
        "Set 'subnets' (one subnet ID a line, e.g. subnet-0a1b2c3d) and 'security-groups', or set 'service'. Nothing was started.",
    );
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(outputs).toEqual([]);
    expect(log.lines[0]).toMatch(/^Pre-flight checks \(3\):\n/);
    expect(log.lines[0]).toContain("\n  fail  Subnets for awsvpc             Input 'subnets' is needed");
    expect(summaries).toEqual([expect.stringContaining("| ❌ fail | Subnets for awsvpc | `subnets` | Input 'subnets' is needed")]);
  });

  test('a cancellation while the task runs leaves it running and says how to watch it', async () => {
    const { ecs, clients, ports } = world(0, []);
    const controller = new AbortController();
    const signal = controller.signal;
    ecs.on(DescribeTasksCommand).callsFake(() => {
      controller.abort();
      return { tasks: [{ taskArn, lastStatus: 'RUNNING' }] };
    });

    await expect(runMigration(request(), clients, { ...ports, signal })).rejects.toThrow(
      /The workflow was cancelled, but migration task 0123456789abcdef is still running in cluster prod/,
    );
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });
});
