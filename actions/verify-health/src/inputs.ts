import { checkEcsArnInputs, ConfigurationError, Inputs, isRevisionReference, resolveRegion } from '@ecs-deploy/core/common';
import { codeDeployDeploymentIdInput } from '@ecs-deploy/core/codedeploy';
import { stepInputs, readAuditTrailInputs, serviceEnvironment, type AuditTrailSettings } from '@ecs-deploy/core/platform';
import { parseServiceDeploymentArn, type ServiceDeploymentArn } from '@ecs-deploy/core/ecs';
import { assertReachable, parseExpectedStatus, parseHealthUrls, parseRequestHeaders, type HealthPlan } from '@ecs-deploy/core/health';
import type { HealthRequest } from '@ecs-deploy/core/use-cases';

export interface HealthInputs extends HealthRequest {
  /** With a github-token: the GitHub Deployment whose release this check judges. */
  auditTrail?: AuditTrailSettings;
}

/** Reads and validates every input before the first request. */
export function readHealthInputs(inputs = stepInputs()): HealthInputs {
  // The deployment first: a malformed ARN or id must fail before anything else is read or sent.
  const gated = readContinueDeployment(inputs);
  const continueDeployment = gated?.kind === 'ecs' ? gated.arn : undefined;
  const urlLines = inputs.list('url');
  const urls = urlLines.length ? parseHealthUrls(urlLines) : [];
  if (urls.length === 0) refuseProbeInputsWithoutUrl(inputs);
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
  const aws = readAws(inputs, continueDeployment);
  if (urls.length === 0 && !(aws?.cluster && aws.service)) {
    throw new ConfigurationError(
      "Input 'url' is required unless 'cluster' and 'service' are given: with neither, nothing would be checked. Give the URL(s) to probe (https://example.com/health, one a line), or, for a service with no HTTP endpoint such as a worker, 'cluster' and 'service': it is then judged on ECS alone (steady on its revision, no task crashing, its targets healthy, the alarms out of ALARM).",
      'url',
    );
  }
  if (continueDeployment) checkSameService(continueDeployment, inputs, aws);
  const endTerminationWait = readEndTerminationWait(inputs, gated);
  const continueCodeDeploy = gated?.kind === 'codedeploy' ? { ...codeDeployGate(gated.deploymentId, aws), endTerminationWait } : undefined;
  const auditTrail = readAuditTrailInputs(inputs, aws?.service === undefined ? undefined : serviceEnvironment(aws.service));
  return { plan, headers, requestTimeoutMs, aws, auditTrail, continueDeployment, continueCodeDeploy };
}

/** Inputs that shape the HTTP probes: given without a URL they would be silently ignored, so they are refused. */
function refuseProbeInputsWithoutUrl(inputs: Inputs): void {
  for (const name of ['body-contains', 'headers', 'max-latency-ms']) {
    if (inputs.optional(name) === undefined) continue;
    throw new ConfigurationError(
      `Input '${name}' is given but 'url' is not: '${name}' shapes the HTTP probes, and without a URL nothing is probed. Give the URL(s) in 'url', or leave '${name}' out.`,
      name,
    );
  }
}

type GatedDeployment = { kind: 'ecs'; arn: ServiceDeploymentArn } | { kind: 'codedeploy'; deploymentId: string };

/**
 * continue-deployment: a CodeDeploy deployment id (`d-…`, checked for its shape: a typo fails here) or else a service
 * deployment ARN (ECS's own blue/green), whose parser says what is wrong with anything else.
 */
function readContinueDeployment(inputs: Inputs): GatedDeployment | undefined {
  const value = inputs.optional('continue-deployment');
  if (value === undefined) return undefined;
  if (/^d-/i.test(value.trim())) return { kind: 'codedeploy', deploymentId: codeDeployDeploymentIdInput('continue-deployment', value) };
  return { kind: 'ecs', arn: parseServiceDeploymentArn(value, 'continue-deployment') };
}

/** end-termination-wait answers a CodeDeploy deployment's termination wait: ECS's own deployments have none to end. */
function readEndTerminationWait(inputs: Inputs, gated: GatedDeployment | undefined): boolean {
  const end = inputs.boolean('end-termination-wait', false);
  if (end && gated?.kind !== 'codedeploy') {
    throw new ConfigurationError(
      "Input 'end-termination-wait' is true, but 'continue-deployment' is not a CodeDeploy deployment id: only a CodeDeploy deployment has a termination wait to end (ContinueDeployment TERMINATION_WAIT). Give its id in 'continue-deployment', or leave 'end-termination-wait' out.",
      'end-termination-wait',
    );
  }
  return end;
}

/**
 * A CodeDeploy deployment id names no service: CodeDeploy names its target `<cluster>:<service>`, and the verdict must
 * be on that service's replacement, so both are required with it.
 */
function codeDeployGate(deploymentId: string, aws: HealthInputs['aws']): NonNullable<HealthInputs['continueCodeDeploy']> {
  if (!aws?.cluster || !aws.service) {
    throw new ConfigurationError(
      `Input 'continue-deployment' is CodeDeploy deployment ${deploymentId}, which names no service: give 'cluster' and 'service' too, the ECS service it deploys, so verify-health can read the deployment's target and judge that service's replacement task set.`,
      'continue-deployment',
    );
  }
  return { deploymentId, cluster: aws.cluster, service: aws.service, region: aws.region };
}

function positive(inputs: Inputs, name: string, fallback: string): number {
  const ms = inputs.duration(name, fallback);
  if (ms <= 0)
    throw new ConfigurationError(`Input '${name}' must be longer than zero, such as ${fallback}; got "${inputs.optional(name)}".`, name);
  return ms;
}

function readAws(inputs: Inputs, continueDeployment: ServiceDeploymentArn | undefined): HealthInputs['aws'] {
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
  // The deployment answered is in the region its ARN names; the service judged must be in that one too.
  const region = resolveRegion(inputs.optional('region') ?? continueDeployment?.region);
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

/**
 * The deployment whose hook the verdict answers must be of the service judged, in the region the step reads: a verdict
 * on one service answering another's deployment would continue a release nobody checked.
 */
function checkSameService(deployment: ServiceDeploymentArn, inputs: Inputs, aws: HealthInputs['aws']): void {
  const region = inputs.optional('region');
  if (region !== undefined && region !== deployment.region) {
    throw new ConfigurationError(
      `Input 'continue-deployment' names a service deployment in ${deployment.region}, but 'region' is ${region}: ECS answers a deployment only in its own region. Set 'region' to ${deployment.region}, or leave it out.`,
      'continue-deployment',
    );
  }
  const name = (value: string | undefined) => (value?.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value);
  for (const [input, given, named] of [
    ['cluster', name(aws?.cluster), deployment.cluster],
    ['service', name(aws?.service), deployment.service],
  ] as const) {
    if (given !== undefined && given !== named) {
      throw new ConfigurationError(
        `Input 'continue-deployment' is a service deployment of ${input} "${named}", but '${input}' is "${given}": the verdict on one service would answer another's deployment. Give the deployment of the service checked, or set '${input}' to ${named}.`,
        'continue-deployment',
      );
    }
  }
}
