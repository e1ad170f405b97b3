import type { Context } from '../context';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './state';

export const PENDING_STATUSES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

export function tasksOfDeployment(ctx: Context, deploymentId: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const task of ctx.ecs.tasks.values()) if (task.deploymentId === deploymentId) out.push(task);
  return out;
}

export function tasksOfService(ctx: Context, service: ServiceRecord): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const task of ctx.ecs.tasks.values()) {
    if (task.serviceName === service.name && task.cluster === service.cluster && task.createdAt >= service.createdAt) out.push(task);
  }
  return out;
}

/** A task that has not stopped yet, whatever ECS wants of it. */
export function isLive(task: TaskRecord): boolean {
  return task.lastStatus !== 'STOPPED';
}

/** Not stopped and not being stopped: what the scheduler still counts on. */
export function isActive(task: TaskRecord): boolean {
  return task.desiredStatus === 'RUNNING' && task.lastStatus !== 'STOPPED';
}

export function counts(tasks: TaskRecord[]): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const task of tasks) {
    if (task.lastStatus === 'RUNNING') running++;
    else if (PENDING_STATUSES.has(task.lastStatus) && task.desiredStatus === 'RUNNING') pending++;
  }
  return { running, pending };
}

export function primaryOf(service: ServiceRecord): DeploymentRecord | undefined {
  return service.deployments.find((d) => d.status === 'PRIMARY');
}
