/**
 * How a blue/green, linear or canary deployment rolls back before CLEAN_UP (developer guide, "Amazon ECS
 * blue/green deployments": "rollback ... shifts traffic back to the blue service revision"): both listener
 * rules forward all traffic to the blue target group again, the green tasks are stopped (by the strategy's
 * next passes) and no new task starts, since the blue revision is still running. The blue `ecs-svc`
 * deployment becomes PRIMARY again, still COMPLETED; that ECS reuses it rather than showing a new one is
 * *unconfirmed* (its API reference says only that the service deployment rolls back to the source revision).
 */
import { record, type Context } from '../context';
import { rerunTrafficHooksOnRollback } from '../scheduler/lifecycle-hooks';
import { shiftTraffic } from '../scheduler/traffic';
import { serviceEvent } from './events';
import { isActive, tasksOfDeployment } from './queries';
import { setServiceDeploymentStatus } from './service-deployment-progress';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from './state';
import { TRAFFIC_STRATEGIES } from './strategy-configuration';

/** The stages after which test (then production) traffic may have moved to green. */
const TRAFFIC_MOVED = new Set([
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
]);

/** Whether `sd` is a traffic-shifting deployment that can still be rolled back by moving traffic (before CLEAN_UP). */
export function rollsBackByTraffic(sd: ServiceDeploymentRecord): boolean {
  return TRAFFIC_STRATEGIES.has(sd.deploymentConfiguration.strategy ?? '') && sd.lifecycleStage !== 'CLEAN_UP';
}

/**
 * The deployment still running the source revision: what a traffic rollback returns to. Only one whose tasks
 * still run: after a superseded deployment's CLEAN_UP had begun, the COMPLETED one may be stopping.
 */
export function blueOf(ctx: Context, service: ServiceRecord, sd: ServiceDeploymentRecord): DeploymentRecord | undefined {
  const green = sd.deploymentIds[0];
  const others = service.deployments.filter((d) => d.id !== green && tasksOfDeployment(ctx, d.id).some(isActive));
  return others.find((d) => d.rolloutState === 'COMPLETED') ?? others[0];
}

/**
 * Moves the traffic back to blue and starts the rollback; false when there is no blue deployment to return to.
 * The listener rules move within the call that asked for the rollback (StopServiceDeployment, ContinueServiceDeployment
 * ROLLBACK) or the pass that decided it: how soon real ECS modifies them after answering is *unconfirmed*, and is
 * likely seconds, so a rollback measured here is faster than on ECS by that much.
 */
export function rollbackByTraffic(ctx: Context, service: ServiceRecord, sd: ServiceDeploymentRecord, reason: string): boolean {
  const green = service.deployments.find((d) => d.id === sd.deploymentIds[0]);
  const blue = blueOf(ctx, service, sd);
  if (!green || !blue) return false;
  const now = ctx.clock.now();
  const moved = TRAFFIC_MOVED.has(sd.lifecycleStage ?? '');
  shiftTraffic(ctx, sd, 'production', 0);
  shiftTraffic(ctx, sd, 'test', 0);
  green.status = 'ACTIVE';
  if (green.rolloutState === 'IN_PROGRESS') {
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = reason;
  }
  green.updatedAt = now;
  blue.status = 'PRIMARY';
  blue.updatedAt = now;
  service.taskDefinitionArn = blue.taskDefinitionArn;
  service.steady = false;
  for (const run of sd.lifecycleHookDetails ?? [])
    if (run.status === 'AWAITING_ACTION' || run.status === 'IN_PROGRESS') run.status = 'FAILED';
  setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_REQUESTED');
  sd.statusReason = reason;
  sd.rollback = { reason, startedAt: now, serviceRevisionArn: blue.serviceRevisionArn };
  sd.waitUntil = undefined;
  sd.updatedAt = now;
  if (moved) rerunTrafficHooksOnRollback(ctx, sd);
  serviceEvent(ctx, service, `rolling back to deployment ${blue.id}.`);
  record(ctx, {
    kind: 'rollback-started',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: green.id,
    rollbackDeploymentId: blue.id,
    taskDefinitionArn: blue.taskDefinitionArn,
  });
  ctx.kick();
  return true;
}
