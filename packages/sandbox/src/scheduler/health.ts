import type { TaskRecord } from '../ecs/state';
import type { TargetRecord } from '../elb/state';

/**
 * Without a container health check, the scheduler waits 40 seconds after a task reaches RUNNING before it
 * counts the task towards the minimum healthy percent (developer guide, service definition parameters,
 * minimumHealthyPercent). Scaled like every ECS interval.
 */
export const UNCHECKED_TASK_GRACE_MS = 40_000;

/**
 * Whether the service scheduler counts this task as healthy now. A task behind a load balancer counts once
 * every one of its targets is healthy and its essential containers' health checks (if any) pass: ECS
 * "waits for the load balancer to report on the container health" before it considers it healthy
 * (developer guide, "Optimize load balancer health check parameters for Amazon ECS").
 */
export function isHealthyForScheduler(task: TaskRecord, now: number, scale: number, targets: TargetRecord[] = []): boolean {
  if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return false;
  const checked = task.containers.some((c) => c.essential && c.hasHealthCheck);
  if (checked && task.healthStatus !== 'HEALTHY') return false;
  if (targets.length > 0) return targets.every((t) => t.state === 'healthy' || t.state === 'unavailable');
  // With a health check, the scheduler waits for the task to report HEALTHY.
  if (checked) return true;
  return task.startedAt !== undefined && now - task.startedAt >= UNCHECKED_TASK_GRACE_MS * scale;
}
