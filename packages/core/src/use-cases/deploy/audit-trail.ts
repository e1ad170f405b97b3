import { shortTaskDefinition } from '../../common/identifiers';
import type { DeploymentState } from '../../common/audit-trail';
import type { DeployOutputs, DeployRequest, DeployStatus } from './request';

/** What the GitHub Deployment says was shipped: the revision and where it went. */
export function shippedDescription(inputs: DeployRequest, taskDefinitionArn: string): string {
  return `${shortTaskDefinition(taskDefinitionArn)} to ${inputs.cluster}/${inputs.service}`;
}

/** Kept with the GitHub Deployment, so a later rollback or audit knows exactly what ran before and after. */
export function shippedPayload(inputs: DeployRequest, outputs: DeployOutputs): Record<string, string> {
  return {
    cluster: inputs.cluster,
    service: inputs.service,
    region: inputs.region,
    'task-definition-arn': outputs.taskDefinitionArn,
    'previous-task-definition-arn': outputs.previousTaskDefinitionArn,
    'ecs-deployment-id': outputs.deploymentId ?? '',
    ...(outputs.codeDeployDeploymentId ? { 'codedeploy-deployment-id': outputs.codeDeployDeploymentId } : {}),
    image: inputs.image ?? '',
    // Released together: each container's image, as the images input gave them.
    ...(inputs.images?.length ? { images: inputs.images.map(({ container, image }) => `${container}=${image}`).join('\n') } : {}),
  };
}

/**
 * A watched rollout's verdict as a Deployment status. (With wait: false the Deployment stays in progress; so it does
 * when the step returned at a stage, baking or paused, since ECS has not finished.)
 */
export function deploymentState(status: Exclude<DeployStatus, 'registered' | 'registered-only' | 'cancelled'>): DeploymentState {
  if (status === 'baking' || status === 'paused') return 'in_progress';
  return status === 'succeeded' ? 'success' : 'failure';
}
