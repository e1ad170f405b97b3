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
import { taskTargetHealth, type TaskTarget } from '../tasks/load-balancer';
import type { TargetRecord } from '../elb/state';

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
