import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { WaitUntil } from '../../ecs/watch-loop';

// The predefined ECS configurations by name (CodeDeploy user guide, "Deployment configurations on an Amazon ECS
// compute platform"): ECSLinear<p>PercentEvery<m>Minute(s), ECSCanary<p>Percent<m>Minutes. A custom configuration's
// shifting time is not read (that would need codedeploy:GetDeploymentConfig): give a timeout that covers it.
const LINEAR = /^CodeDeployDefault\.ECSLinear(\d+)PercentEvery(\d+)Minutes?$/;
const CANARY = /^CodeDeployDefault\.ECSCanary(\d+)Percent(\d+)Minutes?$/;

/** Minutes a configuration takes to move production traffic, beyond the moves themselves. */
export function trafficShiftMinutes(configName: string): number {
  const linear = LINEAR.exec(configName);
  if (linear) return (Math.ceil(100 / Number(linear[1]) - 1e-9) - 1) * Number(linear[2]);
  const canary = CANARY.exec(configName);
  return canary && Number(canary[1]) < 100 ? Number(canary[2]) : 0;
}

/**
 * How long a CodeDeploy deployment of the group waits by design before the step's wait-until is reached, in ms: the
 * traffic shifting (a canary's or linear configuration's intervals) and the ready wait (deploymentReadyOption
 * STOP_DEPLOYMENT: up to waitTimeInMinutes for ContinueDeployment) before production is rerouted, then for complete
 * the termination wait (the original task set kept terminationWaitTimeInMinutes). A timeout shorter than this times
 * out a healthy deploy.
 */
export function codeDeployWaitMs(
  group: Pick<DeploymentGroupInfo, 'blueGreenDeploymentConfiguration'>,
  configName: string,
  waitUntil: WaitUntil,
): number {
  if (waitUntil === 'paused') return 0;
  const blueGreen = group.blueGreenDeploymentConfiguration;
  const ready = blueGreen?.deploymentReadyOption;
  const readyWait = ready?.actionOnTimeout === 'STOP_DEPLOYMENT' ? (ready.waitTimeInMinutes ?? 0) : 0;
  const terminate = blueGreen?.terminateBlueInstancesOnDeploymentSuccess;
  const terminationWait =
    waitUntil === 'complete' && terminate?.action !== 'KEEP_ALIVE' ? (terminate?.terminationWaitTimeInMinutes ?? 0) : 0;
  return (readyWait + trafficShiftMinutes(configName) + terminationWait) * 60_000;
}

/** Whether the group stops at Ready for ContinueDeployment READY_WAIT: what wait-until paused stops at. */
export function waitsForReady(group: DeploymentGroupInfo): boolean {
  return group.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout === 'STOP_DEPLOYMENT';
}
