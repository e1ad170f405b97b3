import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ContainerDefinition,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { container, describeService, ecsClient, network, register } from './support/harness';

const MINUTE = 60_000;
const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: false } };
/** A task with a container health check that crashes before it passes failed a check: the breaker counts it. */
const checked = { healthCheck: { command: ['CMD-SHELL', 'exit 0'], interval: 5, retries: 2, timeout: 2, startPeriod: 0 } };

let sandbox: Sandbox;
let ecs: ECSClient;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
  ecs = ecsClient(sandbox);
  await ecs.send(new CreateClusterCommand({ clusterName: 'manual' }));
});
afterAll(async () => {
  await sandbox.stop();
});

async function createService(name: string, containers: ContainerDefinition[], desiredCount: number): Promise<string> {
  const taskDefinition = await register(ecs, name, containers);
  const created = await ecs.send(
    new CreateServiceCommand({
      cluster: 'manual',
      serviceName: name,
      taskDefinition,
      desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: network,
      deploymentConfiguration: breaker,
    }),
  );
  return created.service?.deployments?.[0]?.id as string;
}

async function tasksOf(serviceName: string) {
  const arns = [
    ...((await ecs.send(new ListTasksCommand({ cluster: 'manual', serviceName }))).taskArns ?? []),
    ...((await ecs.send(new ListTasksCommand({ cluster: 'manual', serviceName, desiredStatus: 'STOPPED' }))).taskArns ?? []),
  ];
  return arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: 'manual', tasks: arns }))).tasks ?? []) : [];
}

describe("a sandbox on clock: 'manual'", () => {
  test('moves nothing until the clock is advanced: a new service starts its tasks on the pass advance(0) runs', async () => {
    await createService('still', [container('still', 'still:1')], 2);
    const [sd] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'manual', service: 'still' }))).serviceDeployments ?? [];
    expect(sd.status).toBe('PENDING');
    expect(await tasksOf('still')).toHaveLength(0);

    await sandbox.advance(0);

    const [started] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'manual', service: 'still' }))).serviceDeployments ?? [];
    expect(started.status).toBe('IN_PROGRESS');
    expect((await tasksOf('still')).map((t) => t.lastStatus)).toEqual(['PROVISIONING', 'PROVISIONING']);
  });

  test('a crash loop trips the breaker on exactly its threshold-th failed task, and nothing starts after it', async () => {
    sandbox.script('crash:1', { kind: 'exit', exitCode: 1, startMs: 500, afterMs: 1000 });
    const id = await createService('crash', [container('crash', 'crash:1', checked)], 2);

    await sandbox.advance(5 * MINUTE);

    const ours = sandbox.history.filter((e) => e.deploymentId === id);
    const trips = ours.filter((e) => e.kind === 'circuit-breaker-tripped');
    const stops = ours.filter((e) => e.kind === 'task-stopped');
    expect(trips).toHaveLength(1);
    // The threshold for 2 desired tasks is 3: the trip comes at the very moment the third task stopped.
    expect(stops.filter((e) => e.at < trips[0].at)).toHaveLength(2);
    expect(stops[2].at).toBe(trips[0].at);
    const deployment = (await describeService(sandbox, 'manual', 'crash')).deployments?.find((d) => d.id === id);
    expect(deployment).toMatchObject({ rolloutState: 'FAILED', failedTasks: 3 });
    // Five minutes on, the FAILED deployment has launched nothing since it tripped.
    const tasks = await tasksOf('crash');
    expect(tasks.every((t) => (t.createdAt?.getTime() ?? Infinity) <= trips[0].at)).toBe(true);
  });

  test('a healthy deployment completes and never fails across 5 minutes', async () => {
    const id = await createService('calm', [container('calm', 'calm:1', checked)], 3);

    await sandbox.advance(5 * MINUTE);

    const ours = sandbox.history.filter((e) => e.deploymentId === id);
    expect(ours.filter((e) => e.kind === 'task-started')).toHaveLength(3);
    expect(ours.filter((e) => e.kind === 'task-stopped' || e.kind === 'circuit-breaker-tripped' || e.kind === 'deployment-failed')).toEqual(
      [],
    );
    expect((await describeService(sandbox, 'manual', 'calm')).deployments).toMatchObject([
      { id, rolloutState: 'COMPLETED', failedTasks: 0, runningCount: 3 },
    ]);
  });
});

describe('the manual clock is refused where it cannot hold', () => {
  test('with a catalog, whose tasks run as real processes', async () => {
    await expect(start({ clock: 'manual', catalog: { app: { command: ['node', '-e', ''] } } })).rejects.toThrow(
      "clock: 'manual' runs scripted tasks only",
    );
  });

  test('advance() on a sandbox whose clock follows real time', async () => {
    const scaled = await start();
    try {
      await expect(scaled.advance(1000)).rejects.toThrow("advance() needs a sandbox started with clock: 'manual'");
    } finally {
      await scaled.stop();
    }
  });
});
