import { expect, test } from '@jest/globals';
import type { ServiceResult } from '@ecs-deploy/core/use-cases';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService } from '../support/blue-green';
import { describeCallsPerRound } from '../support/poll-rounds';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// Several ECS-native blue/green services deployed by one deploy-ecs step, their service deployments watched together.
// ECS's intervals at a fiftieth: a minute of bake is 1.2 s; the action polls in real seconds.
const sandbox = useSandbox({ timeScale: 0.02 });

test('three blue/green services: their service deployments read together in most rounds, each followed to SUCCESSFUL', async () => {
  const names = ['bg-shop-web', 'bg-shop-api', 'bg-shop-admin'];
  // Two minutes of bake (2.4 s here): several rounds while the three bake.
  await Promise.all(names.map((service) => createBlueGreenService(sandbox, { service, bakeTimeInMinutes: 2 })));
  const callsBefore = sandbox.calls.length;

  const run = await runBundledAction(
    'deploy-ecs',
    { cluster: 'prod', service: names.join('\n'), image: `${BLUE_GREEN_REPOSITORY}:v2` },
    { env: sandbox.env() },
  );

  expect(errorsOf(run)).toEqual([]);
  const services = JSON.parse(run.outputs.services) as ServiceResult[];
  expect(services.map((one) => [one.service, one.status])).toEqual(names.map((service) => [service, 'succeeded']));
  const perRound = describeCallsPerRound(sandbox.calls.slice(callsBefore), 'DescribeServiceDeployments');
  expect(perRound.length).toBeGreaterThanOrEqual(3);
  // A watch that learns its service deployment's ARN after the others (their UpdateService calls are paced), or
  // misses a round on a busy runner, can send one read of its own; most rounds still carry the three in one call.
  const sorted = [...perRound].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBe(1);
  const [, calls, reads] = /DescribeServiceDeployments: (\d+) calls for (\d+) reads/.exec(run.log) ?? [];
  // A call a service each round, as before the batching, would make calls equal reads.
  expect(Number(calls)).toBeGreaterThan(0);
  expect(2 * Number(calls)).toBeLessThanOrEqual(Number(reads));
});
