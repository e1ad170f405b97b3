/**
 * The service scheduler replaces tasks that fail their health checks: a target the load balancer reports
 * unhealthy, or an UNHEALTHY container health check, once the service's health check grace period since
 * the task started has passed ("the period of time ... that the Amazon ECS service scheduler ignores
 * unhealthy Elastic Load Balancing, VPC Lattice, and container health checks after a task has first
 * started", CreateService healthCheckGracePeriodSeconds, API reference).
 */
import type { Context } from '../context';
import { serviceEvent } from '../ecs/events';
import { isActive } from '../ecs/queries';
import { findService } from '../ecs/resolve';
import type { ServiceRecord, TaskRecord } from '../ecs/state';
import { stopTask } from '../tasks/lifecycle';
import { taskTargetHealth, type TaskTarget } from '../tasks/load-balancer';
import type { TargetRecord } from '../elb/state';

/** The stoppedReason of a task the scheduler replaced for a failed container health check. */
export const HEALTH_CHECK_FAILED = 'Task failed container health checks';
/** How the stoppedReason of a task replaced for a failed load balancer health check begins. */
export const ELB_HEALTH_CHECK_FAILED = 'Task failed ELB health checks in';

/** Whether the scheduler stopped the task because one of its health checks failed. */
export function stoppedForFailedHealthCheck(stoppedReason: string | undefined): boolean {
  return stoppedReason === HEALTH_CHECK_FAILED || stoppedReason?.startsWith(ELB_HEALTH_CHECK_FAILED) === true;
}

export function stopForFailedContainerHealthCheck(ctx: Context, service: ServiceRecord, task: TaskRecord): void {
  serviceEvent(ctx, service, `(task ${task.id}) failed container health checks.`);
  stopTask(ctx, task, 'ServiceSchedulerInitiated', HEALTH_CHECK_FAILED);
}

/**
 * A task's container health checks report UNHEALTHY. A service task is replaced at once when its service has
 * no grace period, else on a pass once the grace period is over (replaceUnhealthyTasks); a task whose service
 * is gone is stopped; a standalone task just reports UNHEALTHY.
 */
export function onUnhealthyTask(ctx: Context, task: TaskRecord): void {
  if (!task.serviceName) return;
  const cluster = ctx.ecs.clusters.get(task.cluster);
  const service = cluster ? findService(ctx, cluster, task.serviceName) : undefined;
  if (!service) stopTask(ctx, task, 'ServiceSchedulerInitiated', HEALTH_CHECK_FAILED);
  else if (!service.healthCheckGracePeriodSeconds) stopForFailedContainerHealthCheck(ctx, service, task);
}

export function withinGracePeriod(ctx: Context, service: ServiceRecord, task: TaskRecord): boolean {
  const grace = service.healthCheckGracePeriodSeconds ?? 0;
  return task.startedAt !== undefined && ctx.clock.now() - task.startedAt < ctx.clock.scaled(grace * 1000);
}

export function replaceUnhealthyTasks(ctx: Context, service: ServiceRecord, tasks: TaskRecord[]): void {
  for (const task of tasks) {
    if (!isActive(task) || task.lastStatus !== 'RUNNING' || withinGracePeriod(ctx, service, task)) continue;
    if (task.healthStatus === 'UNHEALTHY') {
      stopForFailedContainerHealthCheck(ctx, service, task);
      continue;
    }
    const unhealthy = taskTargetHealth(ctx, task).find((t) => t.target.state === 'unhealthy');
    if (!unhealthy) continue;
    const group = ctx.elb.groups.get(unhealthy.targetGroupArn);
    serviceEvent(ctx, service, unhealthyTargetMessage(task, unhealthy));
    stopTask(ctx, task, 'ServiceSchedulerInitiated', `${ELB_HEALTH_CHECK_FAILED} (target-group ${group?.arn ?? unhealthy.targetGroupArn})`);
  }
}

/**
 * ECS's event for a target that failed its health checks (developer guide, "Amazon ECS service unhealthy event
 * messages"): "(service X) (task Y) (port P) is unhealthy in (target-group T) due to (reason R)" for a task with
 * its own network interface (the guide's Fargate form: an awsvpc task is registered by its IP, so there is no
 * instance to name), and "(service X) (task Y) (instance I) (port P) ..." for a task on a container instance.
 * The guide's placeholder says target-group-name; the messages ECS sends carry the target group's ARN.
 */
function unhealthyTargetMessage(task: TaskRecord, unhealthy: TaskTarget & { target: TargetRecord }): string {
  const awsvpc = task.attachments.some((a) => a.type === 'ElasticNetworkInterface');
  const where = awsvpc ? `(task ${task.id})` : `(task ${task.id}) (instance ${unhealthy.id})`;
  const reason = unhealthy.target.description ?? 'Health checks failed';
  return `${where} (port ${unhealthy.port}) is unhealthy in (target-group ${unhealthy.targetGroupArn}) due to (reason ${reason}).`;
}
