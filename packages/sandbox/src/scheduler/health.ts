import type { TaskRecord } from '../ecs/state';

/**
 * Without a container health check, the scheduler waits 40 seconds after a task reaches RUNNING before it
 * counts the task towards the minimum healthy percent (developer guide, service definition parameters,
 * minimumHealthyPercent). Scaled like every ECS interval.
 */
export const UNCHECKED_TASK_GRACE_MS = 40_000;

/** Whether the service scheduler counts this task as healthy now. */
export function isHealthyForScheduler(task: TaskRecord, now: number, scale: number): boolean {
  if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return false;
  const checked = task.containers.some((c) => c.essential && c.hasHealthCheck);
  // With a health check, the scheduler waits for the task to report HEALTHY.
  if (checked) return task.healthStatus === 'HEALTHY';
  return task.startedAt !== undefined && now - task.startedAt >= UNCHECKED_TASK_GRACE_MS * scale;
}
