import type { DeploymentStatus } from '@aws-sdk/client-codedeploy';

/**
 * A deployment's statuses (DeploymentInfo.status, API reference): Created, Queued, InProgress, Baking and Ready
 * go on; Succeeded, Failed and Stopped are its end. Ready is a deployment waiting for ContinueDeployment READY_WAIT
 * (the group's deploymentReadyOption STOP_DEPLOYMENT) before it reroutes production traffic.
 */
export const FINAL_DEPLOYMENT_STATUSES: ReadonlySet<string> = new Set<DeploymentStatus>(['Succeeded', 'Failed', 'Stopped']);

export function isFinalDeploymentStatus(status: string | undefined): boolean {
  return status !== undefined && FINAL_DEPLOYMENT_STATUSES.has(status);
}
