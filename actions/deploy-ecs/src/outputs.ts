import * as core from '@actions/core';
import type { DeployOutputs, ServicesOutputs } from '@ecs-deploy/core/use-cases';

/**
 * Outputs are set as soon as they are known, so a later `if: failure()` step (auto-rollback) still gets
 * previous-task-definition-arn when the rollout fails.
 */
export function setDeployOutputs(outputs: DeployOutputs): void {
  core.setOutput('task-definition-arn', outputs.taskDefinitionArn);
  core.setOutput('previous-task-definition-arn', outputs.previousTaskDefinitionArn);
  core.setOutput('deployment-id', outputs.deploymentId ?? '');
  core.setOutput('service-deployment-arn', outputs.serviceDeploymentArn ?? '');
  core.setOutput('codedeploy-deployment-id', outputs.codeDeployDeploymentId ?? '');
  core.setOutput('lifecycle-stage', outputs.lifecycleStage ?? '');
  core.setOutput('hook-id', outputs.hookId ?? '');
  if (outputs.status) core.setOutput('status', outputs.status);
  if (outputs.durationSeconds !== undefined) core.setOutput('duration-seconds', String(outputs.durationSeconds));
}

/** Several services: `services` (one object per service, in input order) and `status`, the worst of theirs. */
export function setServicesOutputs(outputs: ServicesOutputs): void {
  core.setOutput('services', JSON.stringify(outputs.services));
  core.setOutput('status', outputs.status);
}
