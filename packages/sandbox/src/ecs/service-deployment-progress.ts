/**
 * The one place a service deployment's status and lifecycle stage change, so that the sandbox's history records
 * every change, in order ('service-deployment-status', 'lifecycle-stage'): a benchmark times what ECS did
 * (SUCCESSFUL, BAKE_TIME reached, a PAUSE hook's stage entered) from them, as it times a rolling deploy from
 * 'steady-state'. The values are the API reference's (ServiceDeployment status: PENDING, IN_PROGRESS, SUCCESSFUL,
 * STOPPED, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED;
 * lifecycleStage as listed in ecs/strategy-configuration).
 */
import { record, type Context } from '../context';
import type { ServiceDeploymentRecord, ServiceDeploymentStatus } from './state';

function whose(ctx: Context, sd: ServiceDeploymentRecord) {
  const service = ctx.ecs.services.find((s) => s.arn === sd.serviceArn);
  return { cluster: service?.cluster, serviceName: service?.name, serviceDeploymentArn: sd.arn, deploymentId: sd.deploymentIds[0] };
}

/** Records a new service deployment's first status (PENDING), once it is created. */
export function recordServiceDeploymentCreated(ctx: Context, sd: ServiceDeploymentRecord): void {
  record(ctx, { kind: 'service-deployment-status', ...whose(ctx, sd), status: sd.status });
}

export function setServiceDeploymentStatus(ctx: Context, sd: ServiceDeploymentRecord, status: ServiceDeploymentStatus): void {
  if (sd.status === status) return;
  sd.status = status;
  record(ctx, { kind: 'service-deployment-status', ...whose(ctx, sd), status });
}

export function setLifecycleStage(ctx: Context, sd: ServiceDeploymentRecord, stage: string): void {
  if (sd.lifecycleStage === stage) return;
  sd.lifecycleStage = stage;
  record(ctx, { kind: 'lifecycle-stage', ...whose(ctx, sd), lifecycleStage: stage });
}
