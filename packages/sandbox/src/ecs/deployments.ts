/**
 * Rolling deployments (`ecs-svc/...`) and the service deployments that group them: how they start, finish,
 * fail and roll back. Used by the API (CreateService, UpdateService, StopServiceDeployment) and the scheduler.
 */
import { record, type Context } from '../context';
import { deploymentId, serviceDeploymentId, serviceRevisionId } from '../ids';
import { CIRCUIT_BREAKER_REASON, circuitBreakerThreshold } from '../scheduler/circuit-breaker';
import { serviceEvent } from './events';
import { isLive, primaryOf, tasksOfDeployment } from './queries';
import type { DeploymentRecord, Json, ServiceDeploymentRecord, ServiceRecord, ServiceRevisionRecord, TaskDefinitionRecord } from './state';

const ENDED = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

function createRevision(ctx: Context, service: ServiceRecord, taskDefinition: TaskDefinitionRecord): ServiceRevisionRecord {
  const containers = (taskDefinition.body.containerDefinitions as Json[]) ?? [];
  const revision: ServiceRevisionRecord = {
    arn: ctx.arns.serviceRevision(service.cluster, service.name, serviceRevisionId()),
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    taskDefinitionArn: taskDefinition.arn,
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    platformFamily: service.platformFamily,
    capacityProviderStrategy: service.capacityProviderStrategy,
    networkConfiguration: service.networkConfiguration,
    loadBalancers: service.loadBalancers,
    containerImages: containers.map((c) => ({ containerName: String(c.name), image: String(c.image) })),
    createdAt: ctx.clock.now(),
  };
  ctx.ecs.serviceRevisions.set(revision.arn, revision);
  return revision;
}

function newDeployment(ctx: Context, service: ServiceRecord, taskDefinitionArn: string, sdArn: string, revisionArn: string): DeploymentRecord {
  const now = ctx.clock.now();
  const id = deploymentId();
  return {
    id,
    status: 'PRIMARY',
    taskDefinitionArn,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    platformFamily: service.platformFamily,
    capacityProviderStrategy: service.capacityProviderStrategy,
    networkConfiguration: service.networkConfiguration,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    serviceDeploymentArn: sdArn,
    serviceRevisionArn: revisionArn,
  };
}

function demoteOthers(ctx: Context, service: ServiceRecord): void {
  for (const deployment of service.deployments) {
    if (deployment.status !== 'PRIMARY') continue;
    deployment.status = 'ACTIVE';
    deployment.updatedAt = ctx.clock.now();
  }
}

/** A new PRIMARY deployment of `taskDefinition`, in a new service deployment (CreateService, UpdateService). */
export function startDeployment(ctx: Context, service: ServiceRecord, taskDefinition: TaskDefinitionRecord): DeploymentRecord {
  const now = ctx.clock.now();
  for (const sd of ctx.ecs.serviceDeployments.values()) {
    if (sd.serviceArn !== service.arn || ENDED.has(sd.status)) continue;
    // A newer deployment takes over; the one it replaces stops where it is.
    sd.status = 'STOPPED';
    sd.statusReason = 'A newer service deployment started.';
    sd.stoppedAt = now;
    sd.updatedAt = now;
  }
  const sources = [...new Set(service.deployments.filter((d) => tasksOfDeployment(ctx, d.id).some(isLive)).map((d) => d.serviceRevisionArn))];
  const revision = createRevision(ctx, service, taskDefinition);
  const sdArn = ctx.arns.serviceDeployment(service.cluster, service.name, serviceDeploymentId());
  const deployment = newDeployment(ctx, service, taskDefinition.arn, sdArn, revision.arn);
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  const alarms = service.deploymentConfiguration.alarms;
  const sd: ServiceDeploymentRecord = {
    arn: sdArn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: now,
    updatedAt: now,
    sourceServiceRevisionArns: sources,
    targetServiceRevisionArn: revision.arn,
    status: 'PENDING',
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    circuitBreakerStatus: breaker.enable ? 'MONITORING' : 'DISABLED',
    failureCount: 0,
    threshold: circuitBreakerThreshold(service.desiredCount, breaker.thresholdConfiguration),
    alarms: { status: alarms?.enable ? 'MONITORING' : 'DISABLED', alarmNames: alarms?.alarmNames ?? [], triggeredAlarmNames: [] },
    deploymentIds: [deployment.id],
  };
  ctx.ecs.serviceDeployments.set(sd.arn, sd);
  demoteOthers(ctx, service);
  service.deployments.unshift(deployment);
  service.taskDefinitionArn = taskDefinition.arn;
  service.currentServiceDeploymentArn = sd.arn;
  service.steady = false;
  // Updating to a new task definition takes the service out of throttling (Service throttle logic).
  service.throttle = { failures: 0, resumeAt: 0, announced: false };
  record(ctx, { kind: 'deployment-created', cluster: service.cluster, serviceName: service.name, deploymentId: deployment.id, taskDefinitionArn: taskDefinition.arn });
  ctx.kick();
  return deployment;
}

/** The deployment reached a steady state: COMPLETED, older deployments gone, the two events ECS sends. */
export function completeDeployment(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  const now = ctx.clock.now();
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = now;
  service.deployments = [deployment];
  service.lastCompleted = { deploymentId: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn, serviceRevisionArn: deployment.serviceRevisionArn };
  const sd = ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (sd && !ENDED.has(sd.status)) {
    sd.status = sd.rollback ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
    sd.finishedAt = now;
    sd.updatedAt = now;
    if (sd.circuitBreakerStatus === 'MONITORING') sd.circuitBreakerStatus = 'MONITORING_COMPLETE';
    if (sd.alarms.status === 'MONITORING') sd.alarms.status = 'MONITORING_COMPLETE';
  }
  serviceEvent(ctx, service, `(deployment ${deployment.id}) deployment completed.`);
  markSteady(ctx, service, deployment);
}

export function markSteady(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  serviceEvent(ctx, service, 'has reached a steady state.');
  service.steady = true;
  record(ctx, { kind: 'steady-state', cluster: service.cluster, serviceName: service.name, deploymentId: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn });
}

/** What failed a deployment: the circuit breaker, or CloudWatch alarms of deploymentConfiguration.alarms. */
export type FailureCause = { kind: 'circuit-breaker' } | { kind: 'alarms'; alarmNames: string[] };

/**
 * ECS does not document the wording of an alarm failure; these follow the circuit breaker's and name the
 * alarms, which the service deployment's `alarms.triggeredAlarmNames` also lists.
 */
export function alarmFailureReason(alarmNames: string[]): string {
  return `ECS deployment alarms: ${alarmNames.join(', ')} in ALARM state.`;
}

function causeReason(cause: FailureCause): string {
  return cause.kind === 'circuit-breaker' ? CIRCUIT_BREAKER_REASON : alarmFailureReason(cause.alarmNames);
}

/**
 * The circuit breaker tripped or a deployment alarm went into ALARM: the deployment is FAILED and launches
 * nothing more. With the rollback option of the method that failed it ("A rollback occurs when you use the
 * rollback option for the method that initiated the deployment failure", developer guide, "How CloudWatch
 * alarms detect Amazon ECS deployment failures"), ECS starts a deployment of the last COMPLETED one's
 * revision. Without rollback, or with rollback but no COMPLETED deployment to return to ("The rollback method
 * requires a previous deployment in COMPLETED state", developer guide, "Amazon ECS deployment failure
 * detection"), the service deployment stops (ServiceDeployment.stoppedAt, API reference: "The rollback option
 * is not in use ... and the service fails"), has no `rollback`, and the old tasks keep running. When the
 * deployment that failed is itself a rollback, the service deployment ends ROLLBACK_FAILED
 * (ServiceDeployment.status, API reference) and no further rollback starts: the developer guide rolls a
 * failed deployment back to the last completed one, and describes no rollback of a rollback.
 */
export function failDeployment(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord, cause: FailureCause): void {
  const now = ctx.clock.now();
  const reason = causeReason(cause);
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = reason;
  deployment.updatedAt = now;
  serviceEvent(ctx, service, `(deployment ${deployment.id}) deployment failed: ${cause.kind === 'circuit-breaker' ? 'tasks failed to start' : 'alarm detected'}.`);
  const sd = ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (cause.kind === 'circuit-breaker') {
    record(ctx, { kind: 'circuit-breaker-tripped', cluster: service.cluster, serviceName: service.name, deploymentId: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn });
  }
  if (sd) {
    if (cause.kind === 'circuit-breaker') {
      sd.circuitBreakerStatus = 'TRIGGERED';
      sd.failureCount = deployment.failedTasks;
    } else {
      sd.alarms.status = 'TRIGGERED';
      sd.alarms.triggeredAlarmNames = cause.alarmNames;
    }
    sd.statusReason = reason;
    sd.updatedAt = now;
  }
  if (sd && (deployment.rollbackOf !== undefined || sd.rollback)) {
    failRollback(ctx, service, deployment, sd, reason);
    return;
  }
  const config = sd?.deploymentConfiguration ?? service.deploymentConfiguration;
  const rollback = cause.kind === 'circuit-breaker' ? config.deploymentCircuitBreaker.rollback : config.alarms?.rollback === true;
  const target = service.lastCompleted;
  if (rollback && target && target.deploymentId !== deployment.id && sd) {
    startRollback(ctx, service, deployment, sd, reason, cause.kind === 'circuit-breaker' ? 'ECS deployment circuit breaker' : 'ECS deployment alarms');
    return;
  }
  if (sd) {
    sd.status = 'STOPPED';
    sd.stoppedAt = now;
    // ECS "cannot roll back" is said apart from "was not asked to": the reason says there was nothing to return to.
    if (rollback) sd.statusReason = `${reason.replace(/\.$/, '')}; no completed deployment to roll back to.`;
  }
  record(ctx, { kind: 'deployment-failed', cluster: service.cluster, serviceName: service.name, deploymentId: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn });
}

/** A rollback's own deployment failed: the service deployment ends there, with no second rollback. */
function failRollback(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord, sd: ServiceDeploymentRecord, reason: string): void {
  const now = ctx.clock.now();
  sd.status = 'ROLLBACK_FAILED';
  sd.statusReason = `${reason.replace(/\.$/, '')} while rolling back${deployment.rollbackOf ? ` to deploymentId ${deployment.rollbackOf}` : ''}.`;
  sd.finishedAt = now;
  sd.updatedAt = now;
  record(ctx, { kind: 'deployment-failed', cluster: service.cluster, serviceName: service.name, deploymentId: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn });
}

/** Rolls the service back to its last COMPLETED deployment's revision, inside the same service deployment. */
export function startRollback(
  ctx: Context,
  service: ServiceRecord,
  failed: DeploymentRecord,
  sd: ServiceDeploymentRecord,
  reason: string,
  by = 'ECS deployment circuit breaker',
): DeploymentRecord | undefined {
  const target = service.lastCompleted;
  if (!target) return undefined;
  const now = ctx.clock.now();
  demoteOthers(ctx, service);
  const rollback = newDeployment(ctx, service, target.taskDefinitionArn, sd.arn, target.serviceRevisionArn);
  // The rollback's reason names the deployment it returns to (service deployment state change events).
  rollback.rolloutStateReason = `${by}: rolling back to deploymentId ${target.deploymentId}.`;
  rollback.rollbackOf = target.deploymentId;
  service.deployments.unshift(rollback);
  service.taskDefinitionArn = target.taskDefinitionArn;
  service.steady = false;
  service.throttle = { failures: 0, resumeAt: 0, announced: false };
  sd.status = 'ROLLBACK_REQUESTED';
  sd.rollback = { reason, startedAt: now, serviceRevisionArn: target.serviceRevisionArn };
  sd.deploymentIds.push(rollback.id);
  sd.updatedAt = now;
  serviceEvent(ctx, service, `rolling back to deployment ${target.deploymentId}.`);
  record(ctx, {
    kind: 'rollback-started',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: failed.id,
    rollbackDeploymentId: rollback.id,
    taskDefinitionArn: target.taskDefinitionArn,
  });
  ctx.kick();
  return rollback;
}

export { primaryOf };
