import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { start, type Sandbox } from '../src/index';
import { CreateClusterCommand, CreateServiceCommand } from '@aws-sdk/client-ecs';
import { container, ecsClient, network, register, waitFor } from './support/harness';

// ×0.001: the throttle's 27-minute cap lasts 1.62 s; the 10 s first delay 10 ms.
const SCALE = 0.001;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: SCALE });
});
afterAll(async () => {
  await sandbox.stop();
});

test('the service throttle logic waits at most 27 minutes between attempts to start a task that never starts', async () => {
  const ecs = ecsClient(sandbox);
  await ecs.send(new CreateClusterCommand({ clusterName: 'test' }));
  const taskDefinition = await register(ecs, 'unstartable', [container('unstartable', 'unstartable:1')]);
  sandbox.script('unstartable:1', { kind: 'cannot-start', afterMs: 0 });
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'test',
      serviceName: 'unstartable',
      taskDefinition,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
    }),
  );
  // From the 3rd failure the delay starts at 10 s and doubles: the 11th would wait 2,560 s uncapped.
  const stops = await waitFor(
    '12 tasks that failed to start',
    async () => {
      const found = sandbox.history.filter((e) => e.kind === 'task-stopped' && e.serviceName === 'unstartable').map((e) => e.at);
      return found.length >= 12 ? found : undefined;
    },
    20_000,
  );
  const gap = stops[11] - stops[10];
  // "Continues increasing delays up to a maximum of 27 minutes between attempts" (developer guide, "Amazon
  // ECS service throttle logic"): at least the cap (not the 15 minutes of older editions), and no more than
  // the cap plus the few scaled milliseconds a launch takes to fail.
  expect(gap).toBeGreaterThanOrEqual(27 * 60_000 * SCALE);
  expect(gap).toBeLessThan(2_560_000 * SCALE);
});
