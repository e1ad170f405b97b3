import { describe as group, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
} from '@aws-sdk/client-ecs';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService, type BlueGreenOptions } from '../support/blue-green';
import { errorsOf, runBundledAction } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

// ECS's intervals at a fiftieth: a minute of bake is 1.2 s; the actions poll in real seconds.
const sandbox = useSandbox({ timeScale: 0.02 });
const ecs = () => new ECSClient(clientConfig(sandbox));

const run = (action: string, inputs: Record<string, string>) => runBundledAction(action, inputs, { env: sandbox.env() });
const pauseAtTestTraffic: DeploymentLifecycleHook[] = [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }];

/** A blue/green service on v1 with v2 deployed by deploy-ecs up to `waitUntil`: the release auto-rollback undoes. */
async function released(options: BlueGreenOptions, waitUntil: 'paused' | 'bake' | 'complete', later?: DeploymentConfiguration) {
  // `later` is set once v1 is deployed (a deploymentConfiguration-only update starts no deployment): v1's own deployment does not bake.
  const bg = await createBlueGreenService(sandbox, { ...options, later });
  const deployed = await run('deploy-ecs', {
    cluster: bg.cluster,
    service: bg.service,
    container: bg.containerName,
    image: `${BLUE_GREEN_REPOSITORY}:v2`,
    'wait-until': waitUntil,
  });
  expect(errorsOf(deployed)).toEqual([]);
  return { bg, deployed, rollBack: { cluster: bg.cluster, service: bg.service, reason: 'verify-health failed' } };
}

const calls = (operation: string) => sandbox.calls.filter((call) => call.operation === operation).length;

async function statusOf(arn: string) {
  return (await ecs().send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments?.[0]?.status;
}

group('auto-rollback on ECS-native blue/green services', () => {
  test('a release paused at its PAUSE hook is answered ROLLBACK and watched to ROLLBACK_SUCCESSFUL, with no new deployment', async () => {
    const { bg, deployed, rollBack } = await released({ service: 'rb-paused', lifecycleHooks: pauseAtTestTraffic }, 'paused');
    const updates = calls('UpdateService');

    const rolled = await run('auto-rollback', rollBack);

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': bg.taskDefinitionArn });
    expect(rolled.log).toMatch(/ContinueServiceDeployment \(ROLLBACK\) of PAUSE hook ecs-pause-/);
    expect(calls('UpdateService')).toBe(updates);
    expect(calls('StopServiceDeployment')).toBe(0);
    expect(await statusOf(deployed.outputs['service-deployment-arn'])).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('a release baking in flight is stopped with ROLLBACK and watched to ROLLBACK_SUCCESSFUL', async () => {
    const { bg, deployed, rollBack } = await released({ service: 'rb-baking' }, 'bake', { bakeTimeInMinutes: 60 });
    const updates = calls('UpdateService');

    const rolled = await run('auto-rollback', rollBack);

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': bg.taskDefinitionArn });
    expect(rolled.log).toMatch(/StopServiceDeployment \(ROLLBACK\) of service deployment .*still in flight/);
    expect(calls('UpdateService')).toBe(updates);
    expect(await statusOf(deployed.outputs['service-deployment-arn'])).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('a finished release gets a new deployment of the last good revision, which says it runs the whole strategy again', async () => {
    const { bg, rollBack } = await released({ service: 'rb-finished' }, 'complete');

    const rolled = await run('auto-rollback', rollBack);

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': bg.taskDefinitionArn });
    expect(rolled.log).toMatch(/runs through the whole strategy \(test traffic, production shift, bake\) again/);
    const live = (await ecs().send(new DescribeServicesCommand({ cluster: bg.cluster, services: [bg.service] }))).services?.[0];
    expect(live?.taskDefinition).toBe(bg.taskDefinitionArn);
  });
});
