/**
 * How a deployment fails and rolls back: the circuit breaker (scheduler/circuit-breaker) or a deployment alarm
 * (scheduler/deployment-alarms) decides that it failed, StopServiceDeployment asks for a rollback; this module
 * carries it out, the same way whatever decided it.
 */
import { record, type Context } from '../context';
import { demoteOthers, newDeployment } from './deployment-records';
import { serviceEvent } from './events';
import { setServiceDeploymentStatus } from './service-deployment-progress';
import { rollbackByTraffic, rollsBackByTraffic } from './traffic-rollback';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from './state';

/**
 * What failed a deployment, as the module that decided it says: which method (the circuit breaker, or
 * CloudWatch alarms of deploymentConfiguration.alarms), for ECS's event wording and the rollback option that
 * applies, and the reason the deployment and its service deployment then give.
 */
export interface FailureCause {
  kind: 'circuit-breaker' | 'alarms';
  reason: string;
}

/**
 * The circuit breaker tripped or a deployment alarm went into ALARM (each marks its own part of the service
 * deployment before it calls this): the deployment is FAILED and launches
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
  const reason = cause.reason;
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = reason;
  deployment.updatedAt = now;
  serviceEvent(
    ctx,
    service,
    `(deployment ${deployment.id}) deployment failed: ${cause.kind === 'circuit-breaker' ? 'tasks failed to start' : 'alarm detected'}.`,
  );
  const sd = ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (sd) {
    sd.statusReason = reason;
    sd.updatedAt = now;
  }
  if (sd && (deployment.rollbackOf !== undefined || sd.rollback)) {
    failRollback(ctx, service, deployment, sd, reason);
    return;
  }
  const config = sd?.deploymentConfiguration ?? service.deploymentConfiguration;
  const rollback = cause.kind === 'circuit-breaker' ? config.deploymentCircuitBreaker.rollback : config.alarms?.rollback === true;
  // Blue/green, linear, canary: the blue revision still runs, so the rollback moves traffic back to it.
  if (rollback && sd && rollsBackByTraffic(sd) && rollbackByTraffic(ctx, service, sd, reason)) return;
  const target = service.lastCompleted;
  if (rollback && target && target.deploymentId !== deployment.id && sd) {
    startRollback(
      ctx,
      service,
      deployment,
      sd,
      reason,
      cause.kind === 'circuit-breaker' ? 'ECS deployment circuit breaker' : 'ECS deployment alarms',
    );
    return;
  }
  if (sd) {
    setServiceDeploymentStatus(ctx, sd, 'STOPPED');
    sd.stoppedAt = now;
    // ECS "cannot roll back" is said apart from "was not asked to": the reason says there was nothing to return to.
    if (rollback) sd.statusReason = `${reason.replace(/\.$/, '')}; no completed deployment to roll back to.`;
  }
  recordFailed(ctx, service, deployment);
}

/** A rollback's own deployment failed: the service deployment ends there, with no second rollback. */
function failRollback(
  ctx: Context,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  sd: ServiceDeploymentRecord,
  reason: string,
): void {
  const now = ctx.clock.now();
  setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_FAILED');
  sd.statusReason = `${reason.replace(/\.$/, '')} while rolling back${deployment.rollbackOf ? ` to deploymentId ${deployment.rollbackOf}` : ''}.`;
  sd.finishedAt = now;
  sd.updatedAt = now;
  recordFailed(ctx, service, deployment);
}

/** The deployment's failure on the sandbox's record of what happened. */
function recordFailed(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  record(ctx, {
    kind: 'deployment-failed',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: deployment.id,
    taskDefinitionArn: deployment.taskDefinitionArn,
  });
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
  setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_REQUESTED');
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
