/**
 * The service scheduler's pass for a CODE_DEPLOY service: each task set runs its computed desired count
 * (its scale of the service's desired count), replacing tasks that stopped or failed their health checks, as
 * for a rolling service's deployment; the service is steady once every task set is (API reference, TaskSet:
 * computedDesiredCount is the scale of the service's desiredCount; stabilityStatus STEADY_STATE once runningCount
 * equals it and no task is pending). The deployment itself (which task sets exist, their scale, the traffic) is
 * CodeDeploy's (developer guide, "CodeDeploy blue/green deployments for Amazon ECS"; codedeploy/lifecycle).
 */
import { record, type Context } from '../context';
import { serviceEvent } from '../ecs/events';
import { isActive, tasksOfDeployment, tasksOfService } from '../ecs/queries';
import type { ServiceRecord, TaskRecord, TaskSetRecord } from '../ecs/state';
import { computedDesiredCount } from '../ecs/task-sets';
import { noteHealthyTasks } from './healthy-tasks';
import { launchTasks, stopTasks } from './task-moves';
import { replaceUnhealthyTasks } from './unhealthy';

const healthy = (task: TaskRecord) => task.healthyAt !== undefined && task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';

export function reconcileTaskSets(ctx: Context, service: ServiceRecord): void {
  const now = ctx.clock.now();
  noteHealthyTasks(ctx, service, now);
  replaceUnhealthyTasks(ctx, service, tasksOfService(ctx, service));
  for (const taskSet of service.taskSets) scaleTaskSet(ctx, service, taskSet, now);
  const steady = service.taskSets.length > 0 && service.taskSets.every((t) => t.stabilityStatus === 'STEADY_STATE');
  const stray = tasksOfService(ctx, service).some((t) => isActive(t) && !service.taskSets.some((s) => s.id === t.deploymentId));
  if (steady && !stray && !service.steady) {
    serviceEvent(ctx, service, 'has reached a steady state.');
    service.steady = true;
    const primary = service.taskSets.find((t) => t.status === 'PRIMARY') ?? service.taskSets[0];
    record(ctx, {
      kind: 'steady-state',
      cluster: service.cluster,
      serviceName: service.name,
      deploymentId: primary.id,
      taskDefinitionArn: primary.taskDefinitionArn,
    });
  }
}

function scaleTaskSet(ctx: Context, service: ServiceRecord, taskSet: TaskSetRecord, now: number): void {
  const desired = service.status === 'ACTIVE' ? computedDesiredCount(service, taskSet.scalePercent) : 0;
  if (desired !== taskSet.computedDesiredCount) {
    taskSet.computedDesiredCount = desired;
    taskSet.updatedAt = now;
  }
  const active = tasksOfDeployment(ctx, taskSet.id).filter(isActive);
  if (active.length > desired)
    stopTasks(ctx, service, taskSet, [...active].sort((a, b) => Number(healthy(a)) - Number(healthy(b))).slice(0, active.length - desired));
  else if (active.length < desired && now >= service.throttle.resumeAt) launchTasks(ctx, service, taskSet, desired - active.length);
  const stable = active.length === desired && active.every(healthy);
  const status = stable ? 'STEADY_STATE' : 'STABILIZING';
  if (status !== taskSet.stabilityStatus) {
    taskSet.stabilityStatus = status;
    taskSet.stabilityStatusAt = now;
    taskSet.updatedAt = now;
    if (!stable) service.steady = false;
  }
}
