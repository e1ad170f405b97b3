/**
 * The ECS service and task sets a CodeDeploy deployment works on: the deployment group's ecsServices entry
 * (CodeDeploy API reference, ECSService: clusterName and serviceName).
 */
import type { Context } from '../context';
import { findService } from '../ecs/resolve';
import type { ServiceRecord, TaskSetRecord } from '../ecs/state';
import type { DeploymentRecord } from './state';

export function serviceOf(ctx: Context, deployment: DeploymentRecord): ServiceRecord | undefined {
  const cluster = ctx.ecs.clusters.get(deployment.target.cluster);
  const service = cluster ? findService(ctx, cluster, deployment.target.service) : undefined;
  return service?.status === 'ACTIVE' ? service : undefined;
}

export function taskSetOf(service: ServiceRecord | undefined, id: string | undefined): TaskSetRecord | undefined {
  return id === undefined ? undefined : service?.taskSets.find((t) => t.id === id);
}

/** The target changed now (ECSTarget.lastUpdatedAt). */
export function touch(ctx: Context, deployment: DeploymentRecord): void {
  deployment.target.lastUpdatedAt = ctx.clock.now();
}
