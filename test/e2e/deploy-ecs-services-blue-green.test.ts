import { expect, test } from '@jest/globals';
import type { ServiceResult } from '@ecs-deploy/core/use-cases';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService } from '../support/blue-green';
import { describeCallsPerRound } from '../support/poll-rounds';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// Several ECS-native blue/green services deployed by one deploy-ecs step, their service deployments watched together.
// ECS's intervals at a fiftieth: a minute of bake is 1.2 s; the action polls in real seconds.
const sandbox = useSandbox({ timeScale: 0.02 });

test('three blue/green services: one DescribeServiceDeployments call a round for the three, each followed to SUCCESSFUL', async () => {
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
  expect(Math.max(...perRound)).toBe(1);
  const [, calls, reads] = /DescribeServiceDeployments: (\d+) calls for (\d+) reads/.exec(run.log) ?? [];
  expect(Number(reads)).toBeGreaterThanOrEqual(3 * Number(calls) - 2);
});
