import { GetDeploymentConfigCommand, type CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy';

const MINUTE_MS = 60_000;

/**
 * How long a deployment waits by design, beyond its work: the traffic shift's intervals (the deployment
 * configuration's trafficRoutingConfig: a canary's one interval, a linear shift's interval per step after the
 * first) and the termination wait that keeps the original task set after rerouting (the deployment's
 * blueGreenDeploymentConfiguration, TERMINATE only; the deployment stays InProgress through it). 0 for an unreadable
 * configuration: the caller's timeout then stands as given.
 */
export async function deploymentWaitsMs(codedeploy: CodeDeployClient, deployment: DeploymentInfo): Promise<number> {
  const termination = deployment.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess;
  const terminationMs = termination?.action === 'KEEP_ALIVE' ? 0 : (termination?.terminationWaitTimeInMinutes ?? 0) * MINUTE_MS;
  return terminationMs + (await trafficShiftMs(codedeploy, deployment.deploymentConfigName));
}

async function trafficShiftMs(codedeploy: CodeDeployClient, deploymentConfigName: string | undefined): Promise<number> {
  if (!deploymentConfigName) return 0;
  const answer = await Promise.resolve(codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName }))).catch(() => undefined);
  const routing = answer?.deploymentConfigInfo?.trafficRoutingConfig;
  if (routing?.type === 'TimeBasedCanary') return (routing.timeBasedCanary?.canaryInterval ?? 0) * MINUTE_MS;
  if (routing?.type === 'TimeBasedLinear') {
    const percent = routing.timeBasedLinear?.linearPercentage ?? 100;
    const steps = Math.max(0, Math.ceil(100 / Math.max(percent, 1)) - 1);
    return steps * (routing.timeBasedLinear?.linearInterval ?? 0) * MINUTE_MS;
  }
  return 0;
}
