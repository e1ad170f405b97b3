import { checkEcsArnInputs, ConfigurationError, resolveRegion, type Inputs } from '@ecs-deploy/core/common';
import { parseServiceDeploymentArn } from '@ecs-deploy/core/ecs';
import { readPreflightMode } from '@ecs-deploy/core/preflight';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import type { DeployRequest } from '@ecs-deploy/core/use-cases';

const WAIT_UNTIL = ['complete', 'bake', 'paused'] as const;
/** The inputs that start a deployment: with service-deployment-arn the step follows one instead, so none may be given. */
const STARTING_INPUTS = ['image', 'environment', 'task-definition', 'desired-count'] as const;

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
  const wait = inputs.boolean('wait', true);
  const waitUntil = inputs.oneOf('wait-until', WAIT_UNTIL);
  if (!wait && waitUntil) {
    throw new ConfigurationError(
      `Input 'wait-until' (${waitUntil}) says where to stop watching, but wait is false: nothing is watched. Remove wait-until, or set wait to true.`,
      'wait-until',
    );
  }
  const serviceDeploymentArn = readServiceDeploymentArn(inputs, wait);
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
    wait,
    ...(waitUntil ? { waitUntil } : {}),
    ...(serviceDeploymentArn ? { serviceDeploymentArn } : {}),
    timeoutMs: inputs.duration('timeout', DEFAULT_TIMEOUT),
    timeoutGiven: inputs.optional('timeout') !== undefined,
    failedTasksThreshold: inputs.integer('failed-tasks-threshold', { min: 1 }) ?? 3,
    preflight: readPreflightMode(inputs),
    auditTrail: readAuditTrailInputs(inputs, serviceEnvironment(service)),
  };
}

/** Without a timeout input: 30 minutes, to which the use case adds the service's bake time. */
const DEFAULT_TIMEOUT = '30m';

/** service-deployment-arn: an ECS service deployment ARN, given without any input that would start a deployment. */
function readServiceDeploymentArn(inputs: Inputs, wait: boolean): string | undefined {
  const arn = inputs.optional('service-deployment-arn');
  if (arn === undefined) return undefined;
  // The shape first (an ecs-svc/... deployment id, a service ARN), as verify-health's continue-deployment reads it.
  parseServiceDeploymentArn(arn, 'service-deployment-arn');
  // force-new-deployment has a default ('false'), so the runner always passes it: only true starts a deployment.
  const forced = inputs.boolean('force-new-deployment', false) ? ['force-new-deployment'] : [];
  const given = [...STARTING_INPUTS.filter((name) => inputs.optional(name) !== undefined), ...forced];
  if (given.length) {
    const names = given.map((name) => `'${name}'`).join(', ');
    throw new ConfigurationError(
      `Input 'service-deployment-arn' follows a service deployment that already exists, so it starts none: ${names} ${given.length === 1 ? 'was' : 'were'} given too, which would start one. ` +
        'Remove them to follow the deployment, or remove service-deployment-arn to start a new one.',
      'service-deployment-arn',
    );
  }
  if (!wait) {
    throw new ConfigurationError(
      "Input 'service-deployment-arn' follows a service deployment, but wait is false: the step would do nothing. Remove wait: false.",
      'service-deployment-arn',
    );
  }
  return arn;
}
