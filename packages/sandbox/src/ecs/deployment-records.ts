/**
 * The records a deployment is made of: a PRIMARY `ecs-svc/...` deployment and its service revision. Shared by
 * the start of a deployment (ecs/deployments) and of a rollback (ecs/deployment-failure).
 */
import type { Context } from '../context';
import { deploymentId, serviceRevisionId } from '../ids';
import type { DeploymentRecord, Json, ServiceRecord, ServiceRevisionRecord, TaskDefinitionRecord } from './state';

/** Service deployment statuses that are final. */
export const ENDED = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

export function createRevision(ctx: Context, service: ServiceRecord, taskDefinition: TaskDefinitionRecord): ServiceRevisionRecord {
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

export function newDeployment(
  ctx: Context,
  service: ServiceRecord,
  taskDefinitionArn: string,
  sdArn: string,
  revisionArn: string,
): DeploymentRecord {
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

export function demoteOthers(ctx: Context, service: ServiceRecord): void {
  for (const deployment of service.deployments) {
    if (deployment.status !== 'PRIMARY') continue;
    deployment.status = 'ACTIVE';
    deployment.updatedAt = ctx.clock.now();
  }
}
