import { checkEcsArnInputs, ConfigurationError, Inputs, isRevisionReference, resolveRegion } from '@ecs-deploy/core/common';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import { assertReachable, parseExpectedStatus, parseHealthUrls, parseRequestHeaders, type HealthPlan } from '@ecs-deploy/core/health';
import type { HealthRequest } from '@ecs-deploy/core/use-cases';

export interface HealthInputs extends HealthRequest {
  /** With a github-token: the GitHub Deployment whose release this check judges. */
  auditTrail?: AuditTrailSettings;
}

/** Reads and validates every input before the first request. */
export function readHealthInputs(inputs = stepInputs()): HealthInputs {
  const urls = parseHealthUrls(inputs.list('url'));
  const plan: HealthPlan = {
    urls,
    expectedStatus: parseExpectedStatus(inputs.optional('expected-status') ?? '200-299'),
    bodyContains: inputs.optional('body-contains'),
    warmupMs: inputs.duration('warmup', '0s'),
    intervalMs: positive(inputs, 'interval', '2s'),
    timeoutMs: inputs.duration('timeout', '5m'),
    successThreshold: inputs.integer('success-threshold', { min: 1 }) ?? 3,
    failureThreshold: inputs.integer('failure-threshold', { min: 1 }) ?? 3,
    bakeMs: inputs.duration('bake', '0s'),
    maxLatencyMs: inputs.integer('max-latency-ms', { min: 1 }),
  };
  const headers = parseRequestHeaders(inputs.list('headers'));
  const requestTimeoutMs = positive(inputs, 'request-timeout', '5s');
  assertReachable(plan);
  const aws = readAws(inputs);
  const auditTrail = readAuditTrailInputs(inputs, aws?.service === undefined ? undefined : serviceEnvironment(aws.service));
  return { plan, headers, requestTimeoutMs, aws, auditTrail };
}

function positive(inputs: Inputs, name: string, fallback: string): number {
  const ms = inputs.duration(name, fallback);
  if (ms <= 0)
    throw new ConfigurationError(`Input '${name}' must be longer than zero, such as ${fallback}; got "${inputs.optional(name)}".`, name);
  return ms;
}

function readAws(inputs: Inputs): HealthInputs['aws'] {
  const cluster = inputs.optional('cluster');
  const service = inputs.optional('service');
  const alarms = inputs.list('alarms');
  if ((cluster === undefined) !== (service === undefined)) {
    const missing = cluster === undefined ? 'cluster' : 'service';
    throw new ConfigurationError(
      `Input '${missing}' is required when '${missing === 'cluster' ? 'service' : 'cluster'}' is given: the service check needs both.`,
      missing,
    );
  }
  const taskDefinition = readTaskDefinition(inputs, cluster !== undefined);
  if (cluster === undefined && alarms.length === 0) return undefined;
  const region = resolveRegion(inputs.optional('region'));
  checkEcsArnInputs({ cluster, service, 'task-definition': taskDefinition }, region);
  return { region, cluster, service, taskDefinition, alarms };
}

/** The revision the service must be steady on: exactly one, since a bare family would mean "its newest". */
function readTaskDefinition(inputs: Inputs, withService: boolean): string | undefined {
  const value = inputs.optional('task-definition');
  if (value === undefined) return undefined;
  if (!withService) {
    throw new ConfigurationError(
      "Input 'task-definition' needs 'cluster' and 'service': it names the revision that service must be steady on.",
      'task-definition',
    );
  }
  if (!isRevisionReference(value)) {
    throw new ConfigurationError(
      `Input 'task-definition' must name one revision, as family:revision (web:12) or its ARN (arn:aws:ecs:us-east-1:123456789012:task-definition/web:12), such as deploy-ecs's task-definition-arn output; got "${value}".`,
      'task-definition',
    );
  }
  return value;
}
