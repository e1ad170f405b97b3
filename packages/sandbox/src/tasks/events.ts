/**
 * What the task lifecycle reports about a task, for whoever decides what it means: the service scheduler
 * subscribes (scheduler/task-reports). The lifecycle only reports and never calls the scheduler, so the two
 * do not depend on each other.
 */
import type { TaskRecord } from '../ecs/state';

export type TaskEvent =
  /** Every container started: the task is RUNNING. */
  | { kind: 'running'; task: TaskRecord; deploymentId?: string }
  /** The essential containers' health checks all pass (TaskRecord.healthStatus HEALTHY). */
  | { kind: 'healthy'; task: TaskRecord; deploymentId?: string }
  /** An essential container's health check fails (TaskRecord.healthStatus UNHEALTHY) while the task should run. */
  | { kind: 'unhealthy'; task: TaskRecord; deploymentId?: string }
  /** The task is STOPPED, with why and how its first essential container that has one ended. */
  | { kind: 'stopped'; task: TaskRecord; deploymentId?: string; stopCode?: string; stoppedReason?: string; exitCode?: number };

export type TaskEventListener = (event: TaskEvent) => void;

/**
 * A synchronous bus: listeners run in the order they subscribed, before emit returns, so a report is
 * handled before the lifecycle goes on (a failed task is counted before the scheduler's next pass).
 */
export class TaskEvents {
  private readonly listeners: TaskEventListener[] = [];

  subscribe(listener: TaskEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  emit(event: TaskEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
