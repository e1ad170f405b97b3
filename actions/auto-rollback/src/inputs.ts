import { checkEcsArnInputs, ConfigurationError, isRevisionReference, resolveRegion } from '@ecs-deploy/core/common';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import type { RollBackServiceRequest } from '@ecs-deploy/core/use-cases';

export interface RollbackInputs extends RollBackServiceRequest {
  /** With a github-token: the failed release's Deployment to close, and the rollback's own. */
  auditTrail?: AuditTrailSettings;
}

/** Reads and validates every input before anything talks to AWS. */
export function readRollbackInputs(inputs = stepInputs()): RollbackInputs {
  const taskDefinition = inputs.optional('task-definition');
  const service = inputs.required('service');
  const cluster = inputs.required('cluster');
  const region = resolveRegion(inputs.optional('region'));
  checkEcsArnInputs({ cluster, service, 'task-definition': taskDefinition }, region);
  if (taskDefinition !== undefined) assertRevisionReference(taskDefinition);
  return {
    cluster,
    service,
    region,
    taskDefinition,
    reason: inputs.optional('reason'),
    wait: inputs.boolean('wait', true),
    timeoutMs: inputs.duration('timeout', '10m'),
    timeoutGiven: inputs.optional('timeout') !== undefined,
    codeDeploy: { application: inputs.optional('codedeploy-application'), deploymentGroup: inputs.optional('codedeploy-deployment-group') },
    auditTrail: readAuditTrailInputs(inputs, serviceEnvironment(service)),
  };
}

/** A rollback needs one exact revision: a bare family would mean "its newest", which is usually the bad one. */
function assertRevisionReference(value: string): void {
  if (isRevisionReference(value)) return;
  const bareFamily = /^[A-Za-z0-9_-]{1,255}$/.test(value)
    ? ' A family without a revision would mean its newest revision, usually the one being rolled back.'
    : '';
  throw new ConfigurationError(
    `Input 'task-definition' must name one revision, as family:revision (web:12) or its ARN (arn:aws:ecs:us-east-1:123456789012:task-definition/web:12); got "${value}".${bareFamily}`,
    'task-definition',
  );
}
