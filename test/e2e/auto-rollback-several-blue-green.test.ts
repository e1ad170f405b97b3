import { expect, test } from '@jest/globals';
import { DescribeServiceDeploymentsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService } from '../support/blue-green';
import { createService, describe as describeService, ecsClient, REGISTRY, registerLike, waitForSteady } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// ECS's intervals at a fiftieth: a minute of bake is 1.2 s; the actions poll in real seconds.
const sandbox = useSandbox({ timeScale: 0.02 });

test('a blue/green service baking its release and a rolling one, rolled back in one step: a traffic shift back and an update', async () => {
  const bg = await createBlueGreenService(sandbox, { service: 'storefront', afterFirstDeployment: { bakeTimeInMinutes: 60 } });
  const deployed = await runBundledAction(
    'deploy-ecs',
    { cluster: bg.cluster, service: bg.service, container: bg.containerName, image: `${BLUE_GREEN_REPOSITORY}:v2`, 'wait-until': 'bake' },
    { env: sandbox.env() },
  );
  expect(errorsOf(deployed)).toEqual([]);
  const worker = await createService(sandbox, { cluster: bg.cluster, service: 'queue-worker', image: `${REGISTRY}/queue-worker:v1` });
  const ecs = ecsClient(sandbox);
  const v2 = await registerLike(sandbox, worker.taskDefinitionArn, `${REGISTRY}/queue-worker:v2`);
  await ecs.send(new UpdateServiceCommand({ cluster: bg.cluster, service: worker.service, taskDefinition: v2 }));
  await waitForSteady(sandbox, bg.cluster, worker.service);

  const run = await runBundledAction(
    'auto-rollback',
    { cluster: bg.cluster, service: `${bg.service}\n${worker.service}`, reason: 'verify-health failed' },
    { env: sandbox.env() },
  );

  expect(errorsOf(run)).toEqual([]);
  expect(JSON.parse(run.outputs.services ?? '[]')).toEqual([
    expect.objectContaining({ service: bg.service, 'rolled-back': true, 'task-definition-arn': bg.taskDefinitionArn }),
    expect.objectContaining({ service: worker.service, 'rolled-back': true, 'task-definition-arn': worker.taskDefinitionArn }),
  ]);
  expect(run.log).toMatch(new RegExp(`\\[${bg.service}\\] .*StopServiceDeployment \\(ROLLBACK\\) of service deployment .*still in flight`));
  const answer = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [deployed.outputs['service-deployment-arn'] as string] }),
  );
  expect(answer.serviceDeployments?.[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
  expect((await describeService(sandbox, bg.cluster, worker.service)).taskDefinition).toBe(worker.taskDefinitionArn);
});
