/**
 * A blue/green, linear or canary service deployment that a newer one replaces (UpdateService with a new task
 * definition or forceNewDeployment while it is in progress). No ECS page says what becomes of it; the
 * lifecycle stage RECONCILE_SERVICE ("only happens when you start a new service deployment with more than 1
 * service revision in an ACTIVE state", ServiceDeployment, API reference) says only that the newer one starts
 * from more than one running revision. The sandbox takes the answer hardest on a client (*unconfirmed*):
 * - it ends STOPPED ("A newer service deployment started."), never SUCCESSFUL, with finishedAt and stoppedAt;
 * - its hooks still waiting (AWAITING_ACTION, IN_PROGRESS) end FAILED: nothing will answer them any more;
 * - before CLEAN_UP, test and production traffic go back to blue at once (blue's tasks still run) and its
 *   green tasks are stopped, so no rule forwards to a group whose tasks go away; the newer deployment starts
 *   from blue, in RECONCILE_SERVICE until the green tasks are gone;
 * - in CLEAN_UP, green already serves all production and blue's tasks are being stopped: the traffic stays,
 *   and the newer deployment starts from green;
 * - a service's first deployment has no blue to return to: its tasks, the only ones, keep running.
 */
import type { Context } from '../context';
import { shiftTraffic } from '../scheduler/traffic';
import { stopTasks } from '../scheduler/task-moves';
import { isActive, tasksOfDeployment } from './queries';
import { setServiceDeploymentStatus } from './service-deployment-progress';
import type { ServiceDeploymentRecord, ServiceRecord } from './state';
import { TRAFFIC_STRATEGIES } from './strategy-configuration';
import { blueOf, rollsBackByTraffic } from './traffic-rollback';

export const SUPERSEDED_REASON = 'A newer service deployment started.';

/** Ends `sd`, which a newer service deployment of `service` replaces. */
export function supersede(ctx: Context, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  const now = ctx.clock.now();
  if (TRAFFIC_STRATEGIES.has(sd.deploymentConfiguration.strategy ?? '')) {
    for (const run of sd.lifecycleHookDetails ?? [])
      if (run.status === 'AWAITING_ACTION' || run.status === 'IN_PROGRESS') run.status = 'FAILED';
    const green = service.deployments.find((d) => d.id === sd.deploymentIds[0]);
    if (green && rollsBackByTraffic(sd) && blueOf(ctx, service, sd)) {
      shiftTraffic(ctx, sd, 'production', 0);
      shiftTraffic(ctx, sd, 'test', 0);
      stopTasks(ctx, service, green, tasksOfDeployment(ctx, green.id).filter(isActive));
    }
  }
  setServiceDeploymentStatus(ctx, sd, 'STOPPED');
  sd.statusReason = SUPERSEDED_REASON;
  sd.stoppedAt = now;
  sd.finishedAt = now;
  sd.waitUntil = undefined;
  sd.updatedAt = now;
}
