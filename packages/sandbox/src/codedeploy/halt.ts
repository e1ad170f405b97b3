/**
 * How a deployment ends other than by succeeding: Failed (an error at the event under way) or Stopped
 * (StopDeployment, or a ready wait that timed out), with errorInformation. With rollback (the deployment's
 * autoRollbackConfiguration names DEPLOYMENT_FAILURE for a failure; StopDeployment's autoRollbackEnabled for a
 * stop) CodeDeploy starts a rollback deployment that moves traffic back to the original task set
 * (codedeploy/rollback) and names it in rollbackInfo. Without one, a replacement task set that does not serve
 * production yet is deleted and the listeners get blue back (*unconfirmed*: what CodeDeploy leaves without a
 * rollback); once it serves production, both task sets are left as they are.
 * A stop with rollback during the termination wait (production already on the replacement, the original kept) is
 * rolled back like any other: "CodeDeploy implements rollbacks by rerouting traffic from the replacement task set
 * to the original task set" (user guide, "Deployments on an Amazon ECS compute platform", Redeployments and
 * deployment rollbacks), and the original still runs then. That StopDeployment is accepted during that wait and
 * reroutes rather than being refused is *unconfirmed*: no primary source read (StopDeployment API reference, the
 * user guide's "Stop a deployment", "Stopped and failed deployments", "Redeploy and roll back") says it either way;
 * auto-rollback deploys the target anew when a stop leaves production elsewhere.
 */
import type { Context } from '../context';
import { deleteTaskSet } from '../ecs/task-sets';
import { serviceOf, taskSetOf, touch } from './resolve';
import { startRollback } from './rollback';
import { groupKey, type DeploymentRecord } from './state';
import { routeProductionTraffic, routeTestTraffic } from './traffic';
import { setDeploymentStatus, setLifecycleEventStatus, setTargetStatus } from './progress';

export function end(ctx: Context, deployment: DeploymentRecord, status: 'Succeeded' | 'Failed' | 'Stopped'): void {
  const now = ctx.clock.now();
  setDeploymentStatus(ctx, deployment, status);
  deployment.completeTime = now;
  deployment.waitUntil = undefined;
  touch(ctx, deployment);
  const group = ctx.codedeploy.deploymentGroups.get(groupKey(deployment.applicationName, deployment.deploymentGroupName));
  const summary = { deploymentId: deployment.deploymentId, status, endTime: now, createTime: deployment.createTime };
  if (group) {
    group.lastAttemptedDeployment = summary;
    if (status === 'Succeeded') group.lastSuccessfulDeployment = summary;
  }
}

/**
 * The event under way Failed with the error as its diagnostics (errorCode UnknownError: the model's codes are a
 * script's), the later ones Skipped, the target Failed or Stopped (*unconfirmed* for the Skipped events).
 */
function markEvents(ctx: Context, deployment: DeploymentRecord, message: string): void {
  const now = ctx.clock.now();
  deployment.target.lifecycleEvents.forEach((event, index) => {
    if (index === deployment.eventIndex && event.status !== 'Succeeded') {
      event.startTime ??= now;
      event.endTime = now;
      event.diagnostics = { errorCode: 'UnknownError', scriptName: '', message, logTail: '' };
      setLifecycleEventStatus(ctx, deployment, event, 'Failed');
    } else if (index > deployment.eventIndex && event.status === 'Pending') setLifecycleEventStatus(ctx, deployment, event, 'Skipped');
  });
  // A stopped target reads Failed too: TargetStatus has no Stopped (*unconfirmed* which one CodeDeploy shows).
  if (deployment.target.status !== 'Succeeded') setTargetStatus(ctx, deployment, 'Failed');
}

function halt(
  ctx: Context,
  deployment: DeploymentRecord,
  status: 'Failed' | 'Stopped',
  code: string,
  message: string,
  rollback: boolean,
): void {
  markEvents(ctx, deployment, message);
  deployment.errorInformation = { code, message };
  end(ctx, deployment, status);
  if (rollback && deployment.creator !== 'codeDeployRollback') return startRollback(ctx, deployment);
  const service = serviceOf(ctx, deployment);
  const replacement = taskSetOf(service, deployment.replacementTaskSetId);
  if (service && replacement && replacement.status !== 'PRIMARY') {
    routeTestTraffic(ctx, deployment, 0);
    routeProductionTraffic(ctx, deployment, 0);
    deleteTaskSet(ctx, service, replacement);
  }
}

export function fail(ctx: Context, deployment: DeploymentRecord, code: string, message: string): void {
  const rollback =
    deployment.autoRollbackConfiguration.enabled && deployment.autoRollbackConfiguration.events.includes('DEPLOYMENT_FAILURE');
  halt(ctx, deployment, 'Failed', code, message, rollback);
}

export function stop(ctx: Context, deployment: DeploymentRecord, code: string, message: string, rollback: boolean): void {
  halt(ctx, deployment, 'Stopped', code, message, rollback);
}
