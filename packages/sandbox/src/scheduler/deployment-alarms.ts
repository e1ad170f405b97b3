/**
 * CloudWatch alarms of deploymentConfiguration.alarms during a rolling update (developer guide, "How
 * CloudWatch alarms detect Amazon ECS deployment failures"): an alarm of the list in ALARM fails the
 * deployment while it is IN_PROGRESS, which with alarms lasts through a bake time after the new revision
 * has scaled out and the old one in ("Amazon ECS does not change the status until it has deleted the active
 * deployment, and this does not happen until after the bake time").
 */
import type { Context } from '../context';
import { alarmsInState, bakeTimeMs } from '../cloudwatch/state';
import { failDeployment } from '../ecs/deployment-failure';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from '../ecs/state';

/**
 * The service deployment whose alarms are watched for `deployment`. A rollback is not watched: it returns to
 * the revision that worked, and an alarm still in ALARM from the failure would otherwise fail it at once (the
 * guide describes monitoring the deployment, not its rollback).
 */
function watched(ctx: Context, deployment: DeploymentRecord): ServiceDeploymentRecord | undefined {
  const sd = ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (!sd || sd.rollback || deployment.rollbackOf !== undefined) return undefined;
  return sd.deploymentConfiguration.alarms?.enable ? sd : undefined;
}

/**
 * ECS polls the alarms with DescribeAlarms (same guide); an alarm name that does not exist is never in ALARM,
 * and ECS documents no check of the names at CreateService or UpdateService. Returns whether it failed the
 * deployment.
 */
export function watchDeploymentAlarms(ctx: Context, service: ServiceRecord, primary: DeploymentRecord): boolean {
  if (primary.rolloutState !== 'IN_PROGRESS') return false;
  const sd = watched(ctx, primary);
  if (!sd || sd.alarms.status !== 'MONITORING') return false;
  const triggered = alarmsInState(ctx.alarms, sd.alarms.alarmNames, 'ALARM');
  if (triggered.length === 0) return false;
  sd.alarms.status = 'TRIGGERED';
  sd.alarms.triggeredAlarmNames = triggered;
  failDeployment(ctx, service, primary, { kind: 'alarms', reason: alarmFailureReason(triggered) });
  return true;
}

/**
 * ECS does not document the wording of an alarm failure; these follow the circuit breaker's and name the
 * alarms, which the service deployment's `alarms.triggeredAlarmNames` also lists.
 */
export function alarmFailureReason(alarmNames: string[]): string {
  return `ECS deployment alarms: ${alarmNames.join(', ')} in ALARM state.`;
}

/**
 * Whether a deployment that reached a steady state may be COMPLETED: at once without alarms; with them, once
 * the bake time ECS computes from the alarms' configuration has passed since it became steady.
 */
export function bakeTimeOver(ctx: Context, deployment: DeploymentRecord): boolean {
  const sd = watched(ctx, deployment);
  if (!sd) return true;
  const now = ctx.clock.now();
  sd.bakeUntil ??= now + ctx.clock.scaled(bakeTimeMs(ctx.alarms, sd.alarms.alarmNames));
  return now >= sd.bakeUntil;
}

/** The deployment left its steady state (a task stopped): its bake time starts again when it is back. */
export function restartBakeTime(ctx: Context, deployment: DeploymentRecord): void {
  const sd = watched(ctx, deployment);
  if (sd) sd.bakeUntil = undefined;
}
