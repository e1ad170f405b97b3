/**
 * The one place a CodeDeploy deployment's status, its ECS target's status, a lifecycle event's status and the
 * replacement's share of production traffic change, so that the sandbox's history records every change in order
 * ('codedeploy-deployment-status', 'codedeploy-target-status', 'codedeploy-lifecycle-event', 'codedeploy-traffic'),
 * as ecs/service-deployment-progress does for service deployments: a benchmark times what CodeDeploy did (Succeeded,
 * a lifecycle event Failed, traffic back on the original task set) from them. The values are the API reference's:
 * DeploymentStatus (DeploymentInfo.status), TargetStatus (ECSTarget.status), LifecycleEventStatus (LifecycleEvent.status).
 */
import { record, type Context } from '../context';
import type { DeploymentRecord, DeploymentStatus, LifecycleEventRecord, LifecycleEventStatus } from './state';

type TargetStatus = DeploymentRecord['target']['status'];

function whose(deployment: DeploymentRecord) {
  return { cluster: deployment.target.cluster, serviceName: deployment.target.service, deploymentId: deployment.deploymentId };
}

/** Records a new deployment's first status (Created), once it is created. */
export function recordDeploymentCreated(ctx: Context, deployment: DeploymentRecord): void {
  record(ctx, { kind: 'codedeploy-deployment-status', ...whose(deployment), status: deployment.status });
}

export function setDeploymentStatus(ctx: Context, deployment: DeploymentRecord, status: DeploymentStatus): void {
  if (deployment.status === status) return;
  deployment.status = status;
  record(ctx, { kind: 'codedeploy-deployment-status', ...whose(deployment), status });
}

export function setTargetStatus(ctx: Context, deployment: DeploymentRecord, status: TargetStatus): void {
  if (deployment.target.status === status) return;
  deployment.target.status = status;
  record(ctx, { kind: 'codedeploy-target-status', ...whose(deployment), status });
}

export function setLifecycleEventStatus(
  ctx: Context,
  deployment: DeploymentRecord,
  event: LifecycleEventRecord,
  status: LifecycleEventStatus,
): void {
  if (event.status === status) return;
  event.status = status;
  record(ctx, { kind: 'codedeploy-lifecycle-event', ...whose(deployment), lifecycleEventName: event.lifecycleEventName, status });
}

/**
 * The share of production traffic (percent) the deployment's replacement task set now gets; for a rollback
 * deployment the replacement is the original task set it routes back to, so 100 there means blue serves all again.
 */
export function setProductionWeight(ctx: Context, deployment: DeploymentRecord, percent: number): void {
  if (deployment.productionWeight === percent) return;
  deployment.productionWeight = percent;
  record(ctx, {
    kind: 'codedeploy-traffic',
    ...whose(deployment),
    taskSetId: deployment.replacementTaskSetId,
    trafficWeight: percent,
  });
}
