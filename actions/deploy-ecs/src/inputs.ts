import { checkEcsArnInputs, resolveRegion } from '@ecs-deploy/core/common';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import type { DeployRequest } from '@ecs-deploy/core/use-cases';

export interface DeployInputs extends DeployRequest {
  /** With a github-token: the GitHub Deployment to record. */
  auditTrail?: AuditTrailSettings;
}

/** Reads and validates every input before anything talks to AWS. */
export function readDeployInputs(inputs = stepInputs()): DeployInputs {
  const image = inputs.image('image');
  const service = inputs.required('service');
  const cluster = inputs.required('cluster');
  const region = resolveRegion(inputs.optional('region'));
  checkEcsArnInputs({ cluster, service }, region);
  return {
    cluster,
    service,
    region,
    taskDefinitionFile: inputs.optional('task-definition'),
    container: inputs.optional('container'),
    image,
    environment: inputs.keyValues('environment'),
    desiredCount: inputs.integer('desired-count', { min: 0 }),
    forceNewDeployment: inputs.boolean('force-new-deployment', false),
    wait: inputs.boolean('wait', true),
    timeoutMs: inputs.duration('timeout', '30m'),
    failedTasksThreshold: inputs.integer('failed-tasks-threshold', { min: 1 }) ?? 3,
    auditTrail: readAuditTrailInputs(inputs, serviceEnvironment(service)),
  };
}
