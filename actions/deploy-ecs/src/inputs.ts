import { ConfigurationError, resolveRegion } from '@ecs-deploy/core/common';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import type { DeployRequest } from '@ecs-deploy/core/use-cases';

export interface DeployInputs extends DeployRequest {
  /** With a github-token: the GitHub Deployment to record. */
  auditTrail?: AuditTrailSettings;
}

/** Reads and validates every input before anything talks to AWS. */
export function readDeployInputs(inputs = stepInputs()): DeployInputs {
  const image = inputs.optional('image');
  if (image !== undefined && /\s/.test(image)) {
    throw new ConfigurationError(
      `Input 'image' must be one image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:...; got "${image}".`,
      'image',
    );
  }
  const service = inputs.required('service');
  return {
    cluster: inputs.required('cluster'),
    service,
    region: resolveRegion(inputs.optional('region')),
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
