/**
 * Where the service scheduler hears the task lifecycle (tasks/events): what a task's report means for its
 * service, its deployment's circuit breaker and the service throttle logic.
 */
import type { Context } from '../context';
import type { TaskEvent } from '../tasks/events';
import { noteTaskRunning, noteTaskStopped } from './accounting';
import { onUnhealthyTask } from './unhealthy';

export function onTaskEvent(ctx: Context, event: TaskEvent): void {
  switch (event.kind) {
    case 'running':
      return noteTaskRunning(ctx, event);
    case 'unhealthy':
      return onUnhealthyTask(ctx, event.task);
    case 'stopped':
      return noteTaskStopped(ctx, event);
    case 'healthy':
      // Passing container checks alone do not make a task healthy for the scheduler (scheduler/health): its
      // load balancer targets must be healthy too, so the scheduler's pass decides (noteTaskHealthy).
      return;
  }
}
