import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Clock } from '../common/poll';
import { stoppedByHealthCheck, type StartupHealth } from './startup-kill-hint';
import { describeTasks, listTaskArns } from './task-queries';
import { epochMs } from './times';

/** The running tasks are read at most this often, once they are read at all. */
export const STARTUP_HEALTH_INTERVAL_MS = 3000;

/**
 * When the new revision's running tasks are first seen HEALTHY, for the grace period hint (startupKillHint): how
 * long a task of the revision takes to answer healthy. Read only once a task of the deployment was stopped by a
 * health check, so a deployment without such a stop costs no call: then, every few seconds, ListTasks of the
 * deployment's tasks (startedBy, which must be ListTasks' only filter; running tasks by default) and DescribeTasks.
 * Best effort: a read that fails is left out, and the watch goes on without it. The task's healthStatus reflects its
 * essential containers' health checks (Task.healthStatus, API reference); a load balancer's verdict does not show
 * there, so a service with no container health check never has a task seen healthy here.
 */
export class StartupHealthWatch {
  private readonly healthyAfterMs: Record<string, number> = {};
  private active = false;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly request: { cluster: string; deploymentId: string },
    private readonly clock: Clock,
  ) {}

  get health(): StartupHealth | undefined {
    return this.active ? { healthyAfterMs: { ...this.healthyAfterMs } } : undefined;
  }

  /** One poll: `failedTasks` are the deployment's failed tasks so far; reads when active and due. */
  async poll(ecs: ECSClient, failedTasks: { stoppedReason?: string }[]): Promise<void> {
    if (!this.active && !failedTasks.some(stoppedByHealthCheck)) return;
    this.active = true;
    const now = this.clock.now();
    if (now - this.readAt < STARTUP_HEALTH_INTERVAL_MS) return;
    this.readAt = now;
    try {
      const arns = await listTaskArns(ecs, { cluster: this.request.cluster, startedBy: this.request.deploymentId });
      const tasks = arns.length ? await describeTasks(ecs, this.request.cluster, arns) : [];
      for (const task of tasks) {
        const started = epochMs(task.startedAt);
        if (task.healthStatus !== 'HEALTHY' || !task.taskArn || !started) continue;
        this.healthyAfterMs[task.taskArn] ??= Math.max(0, now - started);
      }
    } catch {
      // Evidence for a hint, not for the verdict: a read that fails leaves it out.
    }
  }
}
