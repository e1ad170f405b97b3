/**
 * A service task behind a load balancer (developer guide, "Use load balancing to distribute Amazon ECS
 * service traffic"): ECS registers the task's container port as a target of each of the service's target
 * groups once the task is RUNNING, counts the task healthy only when every target is healthy, and
 * deregisters it before stopping it. Here a target is the container's loopback port, 127.0.0.1:PORT.
 */
import type { Context } from '../context';
import { serviceEvent } from '../ecs/events';
import { findService } from '../ecs/resolve';
import type { Json, ServiceRecord, TaskRecord } from '../ecs/state';
import type { TargetRecord } from '../elb/state';

export interface TaskTarget {
  targetGroupArn: string;
  id: string;
  port: number;
}

function serviceOf(ctx: Context, task: TaskRecord): ServiceRecord | undefined {
  const cluster = task.serviceName ? ctx.ecs.clusters.get(task.cluster) : undefined;
  return cluster ? findService(ctx, cluster, task.serviceName as string) : undefined;
}

/** Registers a task that just became RUNNING with its service's target groups; returns what it registered. */
export function registerTaskTargets(ctx: Context, task: TaskRecord): TaskTarget[] {
  const service = serviceOf(ctx, task);
  const registered: TaskTarget[] = [];
  // A blue/green deployment's tasks register in its own (green) target groups (scheduler/traffic), a task set's in its own.
  const deployment =
    service?.deployments.find((d) => d.id === task.deploymentId) ?? service?.taskSets.find((t) => t.id === task.deploymentId);
  for (const lb of (deployment?.loadBalancers ?? service?.loadBalancers ?? []) as Json[]) {
    const group = ctx.elb.groups.get(String(lb.targetGroupArn));
    const container = task.containers.find((c) => c.name === lb.containerName);
    const binding = container?.networkBindings?.find((b) => b.containerPort === lb.containerPort);
    // A scripted task has no process and so no port: there is nothing a load balancer could reach.
    if (!group || !binding) continue;
    ctx.elb.register(group, binding.bindIP, binding.hostPort, task.availabilityZone);
    registered.push({ targetGroupArn: group.arn, id: binding.bindIP, port: binding.hostPort });
    if (service) serviceEvent(ctx, service, `registered 1 targets in (target-group ${group.arn})`);
  }
  return registered;
}

/** Deregisters the task's targets and resolves once every one has finished draining. */
export function deregisterTaskTargets(ctx: Context, task: TaskRecord): Promise<void> {
  const targets = task.targets ?? [];
  const service = serviceOf(ctx, task);
  if (service && targets.length > 0) serviceEvent(ctx, service, 'has begun draining connections on 1 tasks.');
  for (const t of targets) {
    const group = ctx.elb.groups.get(t.targetGroupArn);
    if (!group) continue;
    ctx.elb.deregister(group, t.id, t.port);
    if (service) serviceEvent(ctx, service, `deregistered 1 targets in (target-group ${group.arn})`);
  }
  return Promise.all(targets.map((t) => ctx.elb.whenGone(t.targetGroupArn, t.id, t.port))).then(() => undefined);
}

/** The task's targets as the load balancer sees them now (a deleted target group's are left out). */
export function taskTargetHealth(ctx: Context, task: TaskRecord): Array<TaskTarget & { target: TargetRecord }> {
  const out: Array<TaskTarget & { target: TargetRecord }> = [];
  for (const t of task.targets ?? []) {
    const target = ctx.elb.target(t.targetGroupArn, t.id, t.port);
    if (target) out.push({ ...t, target });
  }
  return out;
}
