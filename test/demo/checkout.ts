/**
 * The demo's blue/green service: "checkout", the blue/green fixture's program on two tasks, on ECS's BLUE_GREEN
 * strategy with a PAUSE hook at POST_TEST_TRAFFIC_SHIFT, as the blue/green starter workflow expects it; and the
 * two facts its verdicts read back from ECS.
 */
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, ECSClient, type DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService, type BlueGreenService } from '../support/blue-green';
import { clientConfig } from '../support/sandbox-harness';

export const checkoutRelease = (version: string) => `${BLUE_GREEN_REPOSITORY}:${version}`;

/** The gate's hook: ECS waits at the test listener for an answer, and rolls back if none comes within the hour. */
const PAUSE_AFTER_TEST_TRAFFIC: DeploymentLifecycleHook = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' },
};

export function createCheckout(sandbox: Sandbox, version: string): Promise<BlueGreenService> {
  return createBlueGreenService(sandbox, {
    service: 'checkout',
    tag: version,
    desiredCount: 2,
    lifecycleHooks: [PAUSE_AFTER_TEST_TRAFFIC],
  });
}

const ecs = (sandbox: Sandbox) => new ECSClient(clientConfig(sandbox));

/** The revision the service runs as its primary: the one production's traffic is meant for. */
export async function primaryRevision(sandbox: Sandbox, checkout: BlueGreenService): Promise<string | undefined> {
  const described = await ecs(sandbox).send(new DescribeServicesCommand({ cluster: checkout.cluster, services: [checkout.service] }));
  return described.services?.[0]?.taskDefinition;
}

export async function serviceDeploymentStatus(sandbox: Sandbox, serviceDeploymentArn: string): Promise<string | undefined> {
  const described = await ecs(sandbox).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }));
  return described.serviceDeployments?.[0]?.status;
}
