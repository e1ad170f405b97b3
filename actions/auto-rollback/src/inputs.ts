import { checkEcsArnInputs, ConfigurationError, isRevisionReference, resolveRegion, type Inputs } from '@ecs-deploy/core/common';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import {
  parseDeployedServices,
  targetsFromDeployedServices,
  type RollBackServiceRequest,
  type RollBackServicesRequest,
} from '@ecs-deploy/core/use-cases';

export interface RollbackInputs extends RollBackServiceRequest {
  /** With a github-token: the failed release's Deployment to close, and the rollback's own. */
  auditTrail?: AuditTrailSettings;
}

/** Several 'service' lines: each service's own target, from 'services' or its history. */
export type SeveralRollbackInputs = RollBackServicesRequest;

/** The inputs that name one service's own resources: with several services they would be one value for all. */
const ONE_SERVICE_ONLY = [
  'task-definition',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'github-token',
  'environment-name',
  'environment-url',
];

const SERVICE_TARGET: RollBackServiceRequest['targetSource'] = {
  input: 'services',
  chosenBy: "the 'services' input (deploy-ecs's previous-task-definition-arn)",
  needed: "Input 'services' gives the service an empty previous-task-definition-arn",
  advice: "Give 'task-definition' instead, the revision to return to.",
};

/** Reads and validates every input before anything talks to AWS. */
export function readRollbackInputs(inputs = stepInputs()): RollbackInputs | SeveralRollbackInputs {
  const lines = inputs.list('service');
  if (lines.length > 1) return readSeveral(inputs, lines);
  const taskDefinition = inputs.optional('task-definition');
  const service = inputs.required('service');
  const cluster = inputs.required('cluster');
  const region = resolveRegion(inputs.optional('region'));
  checkEcsArnInputs({ cluster, service, 'task-definition': taskDefinition }, region);
  if (taskDefinition !== undefined) assertRevisionReference(taskDefinition);
  const fromServices = readOneFromServices(inputs, service, cluster, taskDefinition);
  return {
    cluster,
    service,
    region,
    taskDefinition: taskDefinition ?? fromServices,
    ...(fromServices !== undefined ? { targetSource: SERVICE_TARGET } : {}),
    reason: inputs.optional('reason'),
    wait: inputs.boolean('wait', true),
    timeoutMs: inputs.duration('timeout', '10m'),
    timeoutGiven: inputs.optional('timeout') !== undefined,
    codeDeploy: { application: inputs.optional('codedeploy-application'), deploymentGroup: inputs.optional('codedeploy-deployment-group') },
    auditTrail: readAuditTrailInputs(inputs, serviceEnvironment(service)),
  };
}

/** One service with 'services': its entry's previous-task-definition-arn, when not empty, is the target. */
function readOneFromServices(inputs: Inputs, service: string, cluster: string, taskDefinition: string | undefined): string | undefined {
  const text = inputs.optional('services');
  if (text === undefined) return undefined;
  if (taskDefinition !== undefined) {
    throw new ConfigurationError(
      "Inputs 'task-definition' and 'services' both name the target: give one, 'task-definition' (one revision) or 'services' (deploy-ecs's services output).",
      'task-definition',
    );
  }
  return targetsFromDeployedServices([service], cluster, parseDeployedServices(text)).get(service);
}

function readSeveral(inputs: Inputs, lines: string[]): SeveralRollbackInputs {
  const cluster = inputs.required('cluster');
  const region = resolveRegion(inputs.optional('region'));
  const given = ONE_SERVICE_ONLY.filter((name) => inputs.optional(name) !== undefined);
  if (given.length > 0) {
    const name = given[0] as string;
    const why =
      name === 'task-definition'
        ? "one revision for all would put each service on another's task definition: each service returns to its own target, from 'services' (deploy-ecs's services output) or, without it, from its own deployment history"
        : "it names one service's own resource (a CodeDeploy group, a GitHub environment), not one for all";
    throw new ConfigurationError(
      `Input '${name}' cannot be given with several services (${lines.length} 'service' lines): ${why}. Leave it empty, or roll the services back one a step.`,
      name,
    );
  }
  checkEcsArnInputs({ cluster }, region);
  const seen = new Set<string>();
  for (const line of lines) {
    checkEcsArnInputs({ service: line }, region);
    const name = serviceEnvironment(line);
    if (seen.has(name)) {
      throw new ConfigurationError(`Input 'service' names "${name}" twice: one service a line, each once.`, 'service');
    }
    seen.add(name);
  }
  const text = inputs.optional('services');
  const targets = text === undefined ? undefined : targetsFromDeployedServices(lines, cluster, parseDeployedServices(text));
  return {
    cluster,
    region,
    services: lines.map((service) => ({ service, taskDefinition: targets?.get(service) })),
    fromDeployOutput: text !== undefined,
    reason: inputs.optional('reason'),
    wait: inputs.boolean('wait', true),
    timeoutMs: inputs.duration('timeout', '10m'),
    timeoutGiven: inputs.optional('timeout') !== undefined,
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
