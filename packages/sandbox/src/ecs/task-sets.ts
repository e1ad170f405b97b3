/**
 * Task sets of services under the CODE_DEPLOY deployment controller (TaskSet, API reference; developer guide,
 * "CodeDeploy blue/green deployments for Amazon ECS"). CreateService makes the first one (PRIMARY, 100% of the
 * desired count, in the service's target group); CodeDeploy adds a replacement (ACTIVE) in the other target
 * group, makes it PRIMARY once production traffic moved, and deletes the original after the termination wait.
 * The service scheduler keeps each task set at its computed desired count (scheduler/task-set-scheduler).
 */
import type { Context } from '../context';
import { invalidParameter } from './errors';
import { renderTaskSet } from './render';
import { asArray, requireCluster, requireService } from './resolve';
import { deploymentId } from '../ids';
import { isActive, tasksOfDeployment } from './queries';
import type { Json, ServiceRecord, TaskDefinitionRecord, TaskSetRecord } from './state';
import { stopTask } from '../tasks/lifecycle';

export interface TaskSetSpec {
  taskDefinition: TaskDefinitionRecord;
  status: TaskSetRecord['status'];
  /** Default: the service's load balancers. */
  loadBalancers?: Json[];
  /** Default 100. */
  scalePercent?: number;
  startedBy?: string;
  externalId?: string;
  /** Each default to the service's. */
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: Json;
  capacityProviderStrategy?: Json[];
}

/** ceil, so that a scale of a few percent still runs a task (*unconfirmed*: the API reference gives no rounding). */
export function computedDesiredCount(service: ServiceRecord, scalePercent: number): number {
  return Math.ceil((service.desiredCount * scalePercent) / 100);
}

export function createTaskSet(ctx: Context, service: ServiceRecord, spec: TaskSetSpec): TaskSetRecord {
  const now = ctx.clock.now();
  const id = deploymentId();
  const scalePercent = spec.scalePercent ?? 100;
  const taskSet: TaskSetRecord = {
    id,
    arn: ctx.arns.taskSet(service.cluster, service.name, id),
    status: spec.status,
    taskDefinitionArn: spec.taskDefinition.arn,
    startedBy: spec.startedBy,
    externalId: spec.externalId,
    scalePercent,
    computedDesiredCount: computedDesiredCount(service, scalePercent),
    launchType: spec.launchType ?? service.launchType,
    platformVersion: spec.platformVersion ?? service.platformVersion,
    platformFamily: service.platformFamily,
    capacityProviderStrategy: spec.capacityProviderStrategy ?? service.capacityProviderStrategy,
    networkConfiguration: spec.networkConfiguration ?? service.networkConfiguration,
    loadBalancers: spec.loadBalancers ?? service.loadBalancers,
    stabilityStatus: 'STABILIZING',
    stabilityStatusAt: now,
    createdAt: now,
    updatedAt: now,
  };
  if (spec.status === 'PRIMARY') for (const other of service.taskSets) other.status = 'ACTIVE';
  service.taskSets.push(taskSet);
  if (spec.status === 'PRIMARY') service.taskDefinitionArn = taskSet.taskDefinitionArn;
  service.steady = false;
  ctx.kick();
  return taskSet;
}

/**
 * Makes `taskSet` the service's PRIMARY one (UpdateServicePrimaryTaskSet): the service's taskDefinition follows
 * it. That the service's loadBalancers then show the primary's target group is *unconfirmed*.
 */
export function makePrimary(ctx: Context, service: ServiceRecord, taskSet: TaskSetRecord): void {
  for (const other of service.taskSets) if (other !== taskSet && other.status === 'PRIMARY') other.status = 'ACTIVE';
  taskSet.status = 'PRIMARY';
  taskSet.updatedAt = ctx.clock.now();
  service.taskDefinitionArn = taskSet.taskDefinitionArn;
  service.loadBalancers = taskSet.loadBalancers;
}

/** Deletes a task set: its tasks are stopped and it leaves DescribeServices at once (*unconfirmed*: ECS shows DRAINING a while). */
export function deleteTaskSet(ctx: Context, service: ServiceRecord, taskSet: TaskSetRecord): void {
  service.taskSets = service.taskSets.filter((t) => t !== taskSet);
  for (const task of tasksOfDeployment(ctx, taskSet.id).filter(isActive))
    stopTask(ctx, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${taskSet.id})`);
  service.steady = false;
  ctx.kick();
}

export const taskSetOperations = {
  /**
   * DescribeTaskSets (API reference): the service's task sets, or those named (by ARN or id); names that match
   * none come back as failures with reason MISSING. Refused for a service of the ECS controller, which has none
   * (*unconfirmed* wording).
   */
  DescribeTaskSets(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const service = requireService(ctx, cluster, input.service);
    if (service.deploymentController.type === 'ECS')
      throw invalidParameter('Task sets are only available for services that use the CODE_DEPLOY or EXTERNAL deployment controller.');
    const named = asArray<string>(input.taskSets);
    const matches = (taskSet: TaskSetRecord, name: string) => name === taskSet.arn || name === taskSet.id;
    const taskSets = service.taskSets.filter((t) => named.length === 0 || named.some((name) => matches(t, name)));
    const failures = named.filter((name) => !service.taskSets.some((t) => matches(t, name))).map((arn) => ({ arn, reason: 'MISSING' }));
    return { taskSets: taskSets.map((t) => renderTaskSet(ctx, service, t)), failures };
  },
};
