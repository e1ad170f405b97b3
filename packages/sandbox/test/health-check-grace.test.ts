import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CreateClusterCommand, CreateServiceCommand, DescribeTasksCommand, ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { slowStartReports } from '../src/runtime/scripted';
import { container, ecsClient, network, register } from './support/harness';

// The service scheduler and a container health check during start-up, on the manual clock: ECS ignores an UNHEALTHY
// task for the grace period after it started, stops it once the period is over if it is still UNHEALTHY, and at once
// without one (CreateService healthCheckGracePeriodSeconds, API reference).

const SECOND = 1000;
/** Checks every 5 s from 5 s after start, two counted failures make it UNHEALTHY: at 10 s, for an app not yet answering. */
const checked = { healthCheck: { command: ['CMD-SHELL', 'exit 0'], interval: 5, retries: 2, timeout: 2, startPeriod: 0 } };

let sandbox: Sandbox;
let ecs: ECSClient;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
  ecs = ecsClient(sandbox);
  await ecs.send(new CreateClusterCommand({ clusterName: 'grace' }));
});
afterAll(async () => {
  await sandbox.stop();
});

/** A service of one task whose app answers its health check `healthyAfterMs` after it starts. */
async function slowStarter(name: string, healthyAfterMs: number, grace?: number): Promise<void> {
  sandbox.script(`${name}:1`, { kind: 'healthy', startMs: 500, healthyAfterMs });
  const taskDefinition = await register(ecs, name, [container(name, `${name}:1`, checked)]);
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'grace',
      serviceName: name,
      taskDefinition,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
      healthCheckGracePeriodSeconds: grace,
    }),
  );
}

async function tasksOf(serviceName: string) {
  const arns = [
    ...((await ecs.send(new ListTasksCommand({ cluster: 'grace', serviceName }))).taskArns ?? []),
    ...((await ecs.send(new ListTasksCommand({ cluster: 'grace', serviceName, desiredStatus: 'STOPPED' }))).taskArns ?? []),
  ];
  return arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: 'grace', tasks: arns }))).tasks ?? []) : [];
}

const stops = (serviceName: string) => sandbox.history.filter((e) => e.serviceName === serviceName && e.kind === 'task-stopped');

describe('a slow start against the health check grace period', () => {
  test('within the grace period an UNHEALTHY task is left alone, and once it answers it is HEALTHY and stays', async () => {
    await slowStarter('patient', 40 * SECOND, 60);
    await sandbox.advance(2 * 60 * SECOND);
    expect(stops('patient')).toEqual([]);
    const [task] = await tasksOf('patient');
    expect(task).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'HEALTHY' });
  });

  test('a grace period shorter than the start-up: stopped as the period ends, for failed container health checks', async () => {
    await slowStarter('hasty', 40 * SECOND, 20);
    await sandbox.advance(2 * 60 * SECOND);
    const [first] = stops('hasty');
    expect(first?.stoppedReason).toBe('Task failed container health checks');
    const stopped = (await tasksOf('hasty')).find((t) => t.taskArn === first.taskArn);
    const killedAfter = (stopped?.stoppingAt?.getTime() ?? 0) - (stopped?.startedAt?.getTime() ?? 0);
    // The scheduler's pass after the 20 s grace period, before the app would have answered at 40 s.
    expect(killedAfter).toBeGreaterThanOrEqual(20 * SECOND);
    expect(killedAfter).toBeLessThan(40 * SECOND);
  });

  test('without a grace period: stopped the moment it turns UNHEALTHY', async () => {
    await slowStarter('bare', 40 * SECOND);
    await sandbox.advance(2 * 60 * SECOND);
    const [first] = stops('bare');
    const stopped = (await tasksOf('bare')).find((t) => t.taskArn === first.taskArn);
    expect((stopped?.stoppingAt?.getTime() ?? 0) - (stopped?.startedAt?.getTime() ?? 0)).toBe(10 * SECOND);
  });
});

describe('slowStartReports', () => {
  const check = { interval: 5, retries: 2, startPeriod: 0 };
  test('an app answering before the failures add up is only ever HEALTHY, at the first check after it answers', () => {
    expect(slowStartReports(check, 7 * SECOND)).toEqual([[10 * SECOND, 'HEALTHY']]);
    expect(slowStartReports(check, 0)).toEqual([[5 * SECOND, 'HEALTHY']]);
  });
  test('failures inside the start period do not count', () => {
    expect(slowStartReports({ ...check, startPeriod: 30 }, 33 * SECOND)).toEqual([[35 * SECOND, 'HEALTHY']]);
    expect(slowStartReports({ ...check, startPeriod: 30 }, 60 * SECOND)).toEqual([
      [35 * SECOND, 'UNHEALTHY'],
      [60 * SECOND, 'HEALTHY'],
    ]);
  });
});
