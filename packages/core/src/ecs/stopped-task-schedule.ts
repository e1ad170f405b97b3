import type { Deployment } from '@aws-sdk/client-ecs';
import type { Clock } from '../common/poll';

/**
 * At most this often the service's stopped tasks are listed while nothing but counts changed. ECS throttles its
 * API per account and Region, and many deploys (and every other tool of the account) share that bucket; a
 * ListTasks a second per deploy, paged, is most of a watcher's calls for nothing on a healthy deploy.
 */
export const STOPPED_TASKS_INTERVAL_MS = 2000;

/**
 * A task of ours seen shutting down is a failure on its way (or a scale-in): it is listed again on the next polls,
 * this many times in a row, so its verdict does not wait for the interval; a task that takes longer (a load balancer
 * draining it for its deregistration delay) is then listed at the interval.
 */
export const STOPPING_RELISTS = 5;

/** What one DescribeServices answer shows of our deployment that a stopped task would change. */
export interface DeploymentSignals {
  deployment: Deployment | undefined;
  /** Service events first seen in this answer. */
  newEvents: number;
  /** A task of the new revision already failed: a change is listed at once, so the verdict does not wait for the interval. */
  failing?: boolean;
}

/**
 * Decides when the watcher lists the service's stopped tasks: only when something changed since the last answer
 * (the deployment's running or pending count, its failedTasks, its updatedAt, a new service event), and then at
 * most every STOPPED_TASKS_INTERVAL_MS. A change of failedTasks is ECS saying a task failed (or, back to 0, that one
 * turned healthy): it is listed at once, so the evidence is never older than ECS's count; so is any change once a task
 * of the new revision failed (a deploy already failing wants its verdict; a healthy one lists at the interval). A change seen during the
 * interval is remembered and listed when the interval ends.
 */
export class StoppedTaskSchedule {
  private previous?: string;
  private previousFailed?: number;
  private previousRunning?: number;
  private changed: boolean;
  private listedAt = Number.NEGATIVE_INFINITY;
  /** Listings in a row that saw a task of ours still shutting down. */
  private stoppingStreak = 0;
  /** A listing was due and has not been done yet. */
  private owed = false;

  /** `listFirst`: list on the first answer (when the deployment may have run before the watcher started). */
  constructor(
    private readonly clock: Clock,
    listFirst: boolean,
    private readonly intervalMs = STOPPED_TASKS_INTERVAL_MS,
  ) {
    this.changed = listFirst;
  }

  /**
   * Whether to list now. A listing that was due and did not happen (its read failed, the round was skipped) stays due
   * until `listed` is called, so a throttled ListTasks or DescribeTasks is tried again on the next round.
   */
  due(signals: DeploymentSignals): boolean {
    if (this.wants(signals)) this.owed = true;
    return this.owed;
  }

  private wants({ deployment, newEvents, failing = false }: DeploymentSignals): boolean {
    const failed = deployment?.failedTasks ?? 0;
    const state = deployment
      ? `${deployment.runningCount ?? 0}/${deployment.pendingCount ?? 0}/${deployment.status}/${deployment.updatedAt ? new Date(deployment.updatedAt).getTime() : ''}`
      : 'gone';
    const failedChanged = failed !== (this.previousFailed ?? 0);
    // Our running count only grows while a deployment is healthy and its desired count stays: a drop is a task of ours
    // leaving RUNNING (a crash, a failed health check), listed at once, as a change of failedTasks is.
    const running = deployment?.runningCount ?? 0;
    const runningDropped = this.previousRunning !== undefined && running < this.previousRunning && deployment?.status === 'PRIMARY';
    this.previousRunning = running;
    if ((this.previous !== undefined && state !== this.previous) || newEvents > 0 || failedChanged) this.changed = true;
    this.previous = state;
    this.previousFailed = failed;
    if (failedChanged || runningDropped) return true;
    if (this.changed && this.stoppingStreak > 0 && this.stoppingStreak <= STOPPING_RELISTS) return true;
    return this.changed && (failing || this.clock.now() - this.listedAt >= this.intervalMs);
  }

  /**
   * After a listing; `stillStopping` tasks of ours were shutting down, so they are listed again: at once for the next
   * STOPPING_RELISTS polls, then once the interval allows.
   */
  listed(stillStopping = 0): void {
    this.listedAt = this.clock.now();
    this.owed = false;
    this.changed = stillStopping > 0;
    this.stoppingStreak = stillStopping > 0 ? this.stoppingStreak + 1 : 0;
  }
}
