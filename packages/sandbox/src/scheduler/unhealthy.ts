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
import type { ServiceRecord, TaskRecord } from '../ecs/state';
import { stopTask, stopForFailedContainerHealthCheck } from '../tasks/lifecycle';
import { taskTargetHealth } from '../tasks/load-balancer';

export const ELB_HEALTH_CHECK_FAILED = 'Task failed ELB health checks in';

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
    serviceEvent(
      ctx,
      service,
      `(instance ${unhealthy.id}) (port ${unhealthy.port}) is unhealthy in (target-group ${unhealthy.targetGroupArn}) due to (reason ${unhealthy.target.description ?? 'Health checks failed'}).`,
    );
    stopTask(ctx, task, 'ServiceSchedulerInitiated', `${ELB_HEALTH_CHECK_FAILED} (target-group ${group?.arn ?? unhealthy.targetGroupArn})`);
  }
}
