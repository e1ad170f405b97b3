import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { container, ecsClient, logsClient, network, register, waitFor } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
  await ecsClient(sandbox).send(new CreateClusterCommand({ clusterName: 'jobs' }));
});
afterAll(async () => {
  await sandbox.stop();
});

async function describeTask(arn: string): Promise<Task> {
  const answer = await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster: 'jobs', tasks: [arn] }));
  return answer.tasks?.[0] as Task;
}

const waitForStatus = (arn: string, status: string) =>
  waitFor(`task ${status}`, async () => {
    const task = await describeTask(arn);
    return task.lastStatus === status ? task : undefined;
  });

describe('standalone tasks', () => {
  test('RunTask runs a scripted migration to its exit code, with overrides and logs', async () => {
    const ecs = ecsClient(sandbox);
    const arn = await register(ecs, 'migrate', [container('migrate', 'migrate:7', { environment: [{ name: 'MODE', value: 'dry' }] })]);
    sandbox.script(/^migrate:/, { kind: 'exit', exitCode: 0, afterMs: 500, logs: ['applying 003_unique_sku', 'done'] });
    const overrides = {
      containerOverrides: [{ name: 'migrate', command: ['node', 'migrate.mjs', 'up'], environment: [{ name: 'MODE', value: 'apply' }] }],
    };
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'jobs',
        taskDefinition: arn,
        launchType: 'FARGATE',
        networkConfiguration: network,
        startedBy: 'run-migration',
        overrides,
      }),
    );
    expect(run.failures).toEqual([]);
    const task = run.tasks?.[0] as Task;
    expect(task).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      startedBy: 'run-migration',
      group: 'family:migrate',
      launchType: 'FARGATE',
      overrides: { containerOverrides: overrides.containerOverrides },
    });
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/jobs\/[0-9a-f]{32}$/);

    const running = await waitForStatus(task.taskArn as string, 'RUNNING');
    expect(running.startedAt).toBeInstanceOf(Date);
    const stopped = await waitForStatus(task.taskArn as string, 'STOPPED');
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(stopped.containers?.[0]).toMatchObject({ name: 'migrate', exitCode: 0, lastStatus: 'STOPPED' });
    expect(stopped.stoppedAt?.getTime()).toBeGreaterThanOrEqual(stopped.startedAt?.getTime() ?? Infinity);

    const id = task.taskArn?.split('/').pop();
    const logs = await logsClient(sandbox).send(
      new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: `ecs/migrate/${id}`, startFromHead: true }),
    );
    expect(logs.events?.map((e) => e.message)).toEqual(['migrate started (migrate:7)', 'applying 003_unique_sku', 'done']);

    // Stopped tasks stay visible.
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'jobs', family: 'migrate', desiredStatus: 'STOPPED' }));
    expect(listed.taskArns).toEqual([task.taskArn]);
    // startedBy alone lists tasks whose desired status is RUNNING, ECS's default.
    expect((await ecs.send(new ListTasksCommand({ cluster: 'jobs', startedBy: 'run-migration' }))).taskArns).toEqual([]);
  });

  test('StopTask stops with UserInitiated; the answer still shows the last status', async () => {
    const ecs = ecsClient(sandbox);
    const arn = await register(ecs, 'worker', [container('worker', 'worker:1')]);
    const run = await ecs.send(
      new RunTaskCommand({ cluster: 'jobs', taskDefinition: arn, launchType: 'FARGATE', networkConfiguration: network }),
    );
    const taskArn = run.tasks?.[0].taskArn as string;
    await waitForStatus(taskArn, 'RUNNING');
    const stop = await ecs.send(new StopTaskCommand({ cluster: 'jobs', task: taskArn }));
    expect(stop.task).toMatchObject({
      lastStatus: 'RUNNING',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
    });
    expect(stop.task?.stoppingAt).toBeInstanceOf(Date);
    const stopped = await waitForStatus(taskArn, 'STOPPED');
    expect(stopped.stopCode).toBe('UserInitiated');
    const withReason = await ecs.send(
      new RunTaskCommand({ cluster: 'jobs', taskDefinition: arn, launchType: 'FARGATE', networkConfiguration: network }),
    );
    const reasoned = await ecs.send(
      new StopTaskCommand({ cluster: 'jobs', task: withReason.tasks?.[0].taskArn?.split('/').pop(), reason: 'timeout after 15m' }),
    );
    expect(reasoned.task?.stoppedReason).toBe('timeout after 15m');
  });

  test('a container still running when its essential neighbour exits is stopped with SIGTERM: exit code 143', async () => {
    const ecs = ecsClient(sandbox);
    sandbox.script('one-shot:1', { kind: 'exit', exitCode: 0, afterMs: 300 });
    const arn = await register(ecs, 'one-shot', [container('job', 'one-shot:1'), container('log-router', 'fluent-bit:3')]);
    const run = await ecs.send(
      new RunTaskCommand({ cluster: 'jobs', taskDefinition: arn, launchType: 'FARGATE', networkConfiguration: network }),
    );
    const stopped = await waitForStatus(run.tasks?.[0].taskArn as string, 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(Object.fromEntries(stopped.containers?.map((c) => [c.name, c.exitCode]) ?? [])).toEqual({ job: 0, 'log-router': 143 });
  });

  test('StopTask ends a scripted container with SIGTERM: exit code 143', async () => {
    const ecs = ecsClient(sandbox);
    const arn = await register(ecs, 'daemon', [container('daemon', 'daemon:1')]);
    const run = await ecs.send(
      new RunTaskCommand({ cluster: 'jobs', taskDefinition: arn, launchType: 'FARGATE', networkConfiguration: network }),
    );
    const taskArn = run.tasks?.[0].taskArn as string;
    await waitForStatus(taskArn, 'RUNNING');
    await ecs.send(new StopTaskCommand({ cluster: 'jobs', task: taskArn }));
    const stopped = await waitForStatus(taskArn, 'STOPPED');
    expect(stopped.containers?.[0].exitCode).toBe(143);
  });

  test('RunTask and DescribeTasks reject what ECS rejects', async () => {
    const ecs = ecsClient(sandbox);
    const arn = await register(ecs, 'strict', [container('strict', 'strict:1')]);
    await expect(ecs.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: arn, launchType: 'FARGATE' }))).rejects.toThrow(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    const badOverride = ecs.send(
      new RunTaskCommand({
        cluster: 'jobs',
        taskDefinition: arn,
        launchType: 'FARGATE',
        networkConfiguration: network,
        overrides: { containerOverrides: [{ name: 'other', command: ['x'] }] },
      }),
    );
    await expect(badOverride).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'jobs', tasks: ['0123456789abcdef0123456789abcdef'] }));
    expect(described.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:000000000000:task/jobs/0123456789abcdef0123456789abcdef', reason: 'MISSING' },
    ]);
    await expect(ecs.send(new ListTasksCommand({ cluster: 'jobs', serviceName: 'nothing' }))).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
    });
    await expect(ecs.send(new StopTaskCommand({ cluster: 'jobs', task: 'ffffffffffffffffffffffffffffffff' }))).rejects.toThrow(
      'The referenced task was not found.',
    );
  });

  test('ListTasks refuses startedBy combined with any other filter, as the API reference says', async () => {
    const ecs = ecsClient(sandbox);
    for (const other of [
      { desiredStatus: 'STOPPED' as const },
      { family: 'migrate' },
      { launchType: 'FARGATE' as const },
      { containerInstance: 'ci-1' },
    ]) {
      const combined = ecs.send(new ListTasksCommand({ cluster: 'jobs', startedBy: 'run-migration', ...other }));
      await expect(combined).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringContaining('When you specify startedBy as the filter, it must be the only filter that you use.'),
      });
    }
    // The cluster is the scope, not a filter, and paging is not filtering.
    await expect(ecs.send(new ListTasksCommand({ cluster: 'jobs', startedBy: 'run-migration', maxResults: 10 }))).resolves.toMatchObject({
      taskArns: expect.any(Array),
    });
  });
});

describe('timeScale', () => {
  async function secondsToRunning(timeScale: number): Promise<number> {
    const scaled = await start({ timeScale });
    try {
      const ecs = ecsClient(scaled);
      await ecs.send(new CreateClusterCommand({ clusterName: 'scale' }));
      const arn = await register(ecs, 'slow', [container('slow', 'slow:1')]);
      scaled.script('slow:1', { kind: 'healthy', startMs: 4000 });
      const started = Date.now();
      const run = await ecs.send(
        new RunTaskCommand({ cluster: 'scale', taskDefinition: arn, launchType: 'FARGATE', networkConfiguration: network }),
      );
      const taskArn = run.tasks?.[0].taskArn;
      await waitFor('RUNNING', async () => scaled.history.find((e) => e.kind === 'task-started' && e.taskArn === taskArn), 10_000, 5);
      return ((scaled.history.find((e) => e.kind === 'task-started' && e.taskArn === taskArn)?.at ?? 0) - started) / 1000;
    } finally {
      await scaled.stop();
    }
  }

  test('multiplies ECS intervals: a 4 s start takes ~0.2 s at 0.05 and ~1 s at 0.25', async () => {
    const fast = await secondsToRunning(0.05);
    const slow = await secondsToRunning(0.25);
    expect(fast).toBeGreaterThanOrEqual(0.2);
    expect(fast).toBeLessThan(0.6);
    expect(slow).toBeGreaterThanOrEqual(1.0);
    expect(slow).toBeLessThan(2.0);
  });
});
