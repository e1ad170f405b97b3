import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { isTransientAwsError } from '../common/retry';
import { describeTasks, listTaskArns } from './task-queries';
import { epochMs } from './times';

/**
 * Follows the stopped tasks of one deployment of a service. ECS sets a service task's startedBy to its deployment
 * ID, but ListTasks refuses startedBy combined with any other filter ("When you specify startedBy as the filter, it
 * must be the only filter that you use", ListTasks in the ECS API reference), and without desiredStatus it lists
 * running tasks only. So one ListTasks call asks for the service's stopped tasks and DescribeTasks tells whose they
 * are. Each stopped task is described once, ours or not, since a stopped task never changes.
 *
 * ECS keeps listing stopped tasks for about an hour, so a busy service's first list holds many tasks of earlier
 * deployments. Describing them only to learn they are not ours would delay the first verdict, and the task's
 * deployment shows nowhere in ListTasks' answer, only in DescribeTasks'. So the caller lists the stopped tasks
 * before the call that creates the deployment (`stoppedBefore`): a task already stopped then cannot have been
 * started by a deployment that did not exist yet, and those ARNs are never described.
 */
export class StoppedTaskTracker {
  private readonly known = new Map<string, Task>();
  private readonly others: Set<string>;
  private stopping = 0;
  /** Listed, not yet described (a DescribeTasks after their listing failed, or has not come yet). */
  private readonly pending = new Set<string>();
  private listed = true;

  constructor(
    private readonly ecs: ECSClient,
    private readonly cluster: string,
    private readonly service: string,
    private readonly deploymentId: string,
    stoppedBefore: Iterable<string> = [],
  ) {
    this.others = new Set(stoppedBefore);
  }

  /**
   * Lists and describes what is new; `ecs` overrides the client for this refresh (a poll's reads go once). What a
   * refresh read is kept when a later read of it fails: the ARNs of each page listed until they are described, each
   * batch described. A refresh that described some tasks returns them even when one of its reads failed, and the
   * next goes on from there (`listedNow` is then false: newer stops may be missing). Under throttling, a round of several reads (DescribeServices, ListTasks pages,
   * DescribeTasks batches) rarely gets every answer; thrown away whole, a crash loop would be seen rounds late.
   */
  async refresh(ecs: ECSClient = this.ecs): Promise<Task[]> {
    let whole = true;
    try {
      await listStoppedTaskArns(ecs, this.cluster, this.service, (page) => {
        for (const arn of page) if (!this.known.has(arn) && !this.others.has(arn)) this.pending.add(arn);
      });
    } catch (error) {
      if (this.pending.size === 0 || !isTransientAwsError(error)) throw error;
      whole = false;
    }
    let stopping = 0;
    let describedSome = false;
    try {
      await describeTasks(ecs, this.cluster, [...this.pending], (batch) => {
        describedSome = true;
        for (const task of batch) {
          if (!task.taskArn) continue;
          this.pending.delete(task.taskArn);
          // A task whose desired status is STOPPED may still be shutting down; the next listing has it again.
          if (task.lastStatus !== 'STOPPED') {
            if (task.startedBy === this.deploymentId) stopping++;
            continue;
          }
          if (task.startedBy === this.deploymentId) this.known.set(task.taskArn, task);
          else this.others.add(task.taskArn);
        }
      });
    } catch (error) {
      // Nothing described: nothing new to judge, the round is skipped. Some batches described: judged on those.
      if (!describedSome || !isTransientAwsError(error)) throw error;
      whole = false;
    }
    this.stopping = stopping;
    this.listed = whole;
    return this.tasks();
  }

  /**
   * Whether the last refresh read everything it meant to: every ListTasks page and every DescribeTasks batch. False:
   * it judged on part (the tasks it did describe; newer stops may be missing), enough to see failures, not a success.
   */
  get listedNow(): boolean {
    return this.listed;
  }

  /** Tasks of the deployment the last refresh saw still shutting down: the next refresh should not wait for a change. */
  get stillStopping(): number {
    return this.stopping;
  }

  tasks(): Task[] {
    return [...this.known.values()].sort((a, b) => epochMs(a.stoppedAt) - epochMs(b.stoppedAt));
  }
}

/**
 * The service's stopped task ARNs (one ListTasks call, or one per page of 100). Taken before UpdateService (or
 * StopServiceDeployment), it is the baseline a StoppedTaskTracker of the new deployment never describes.
 */
export function listStoppedTaskArns(
  ecs: ECSClient,
  cluster: string,
  service: string,
  onPage?: (arns: string[]) => void,
): Promise<string[]> {
  return listTaskArns(ecs, { cluster, serviceName: service, desiredStatus: 'STOPPED' }, onPage);
}
