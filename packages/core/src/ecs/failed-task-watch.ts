import type { Deployment, ECSClient, Task } from '@aws-sdk/client-ecs';
import type { Clock } from '../common/poll';
import { BACKSTOP_SETTLE_MS, isFailedTask } from './rollout';
import { StartupHealthWatch } from './startup-health-watch';
import type { StartupHealth } from './startup-kill-hint';
import { StoppedTaskSchedule } from './stopped-task-schedule';
import { StoppedTaskTracker } from './stopped-tasks';

/** A deployment started less than this before the watcher is taken as new: its first poll lists no stopped tasks. */
const FRESH_DEPLOYMENT_MS = 10_000;

/** One round of FailedTaskWatch: the failed tasks so far, how many are settled, and whether the listing was whole. */
export interface FailedTaskRound {
  failedTasks: Task[];
  /** Of failedTasks, those first counted at least BACKSTOP_SETTLE_MS before the poll. */
  settled: number;
  /** Whether this round listed and described the stopped tasks (false: not due, or only part was read). */
  listedWhole: boolean;
  /** Only part was read (a page or a batch failed): enough to see failures, not a success. */
  partial: boolean;
}

/**
 * The failed tasks of one deployment, followed during a watch: listed when the deployment changed
 * (StoppedTaskSchedule), described once each (StoppedTaskTracker), each remembered with when it was first counted,
 * for the backstop's settle time. Every watch, rolling or by service deployment, follows them the same way.
 */
export class FailedTaskWatch {
  private readonly tracker: StoppedTaskTracker;
  private readonly schedule: StoppedTaskSchedule;
  private readonly startup: StartupHealthWatch;
  private readonly countedAt = new Map<string, number>();
  private failed: Task[] = [];

  /** `ecs` retries in the SDK: the final evidence read (refresh) has no next poll to be its retry. */
  constructor(
    ecs: ECSClient,
    request: { cluster: string; service: string; deploymentId: string; startedAt: number; stoppedBefore?: string[] },
    private readonly clock: Clock,
  ) {
    this.tracker = new StoppedTaskTracker(ecs, request.cluster, request.service, request.deploymentId, request.stoppedBefore);
    // A deployment this step created a moment ago has no stopped task yet; one that ran before the watcher may have many.
    this.schedule = new StoppedTaskSchedule(clock, clock.now() - request.startedAt > FRESH_DEPLOYMENT_MS);
    this.startup = new StartupHealthWatch({ cluster: request.cluster, deploymentId: request.deploymentId }, clock);
  }

  get failedTasks(): Task[] {
    return this.failed;
  }

  /** When the deployment's running tasks were first seen healthy, once one of its tasks was stopped by a health check. */
  get startupHealth(): StartupHealth | undefined {
    return this.startup.health;
  }

  /** Lists when due (`ecs`: this poll's client, whose reads go once); a failed listing throws and stays due. */
  async poll(
    ecs: ECSClient,
    signals: { deployment: Deployment | undefined; newEvents: number; polledAt: number },
  ): Promise<FailedTaskRound> {
    let partial = false;
    let listedWhole = false;
    if (this.schedule.due({ deployment: signals.deployment, newEvents: signals.newEvents, failing: this.failed.length > 0 })) {
      this.failed = (await this.tracker.refresh(ecs)).filter(isFailedTask);
      partial = !this.tracker.listedNow;
      if (!partial) {
        this.schedule.listed(this.tracker.stillStopping);
        listedWhole = true;
      }
      for (const task of this.failed)
        if (!this.countedAt.has(task.taskArn as string)) this.countedAt.set(task.taskArn as string, this.clock.now());
    }
    await this.startup.poll(ecs, this.failed);
    const settledBefore = signals.polledAt - BACKSTOP_SETTLE_MS;
    const settled = this.failed.filter((task) => (this.countedAt.get(task.taskArn as string) ?? Infinity) <= settledBefore).length;
    return { failedTasks: this.failed, settled, listedWhole, partial };
  }

  /** The final evidence read, with the SDK's retries; a transient failure is the caller's to forgive. */
  async refresh(): Promise<Task[]> {
    this.failed = (await this.tracker.refresh()).filter(isFailedTask);
    return this.failed;
  }
}
