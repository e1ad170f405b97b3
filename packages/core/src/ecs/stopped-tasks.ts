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
  /** Listed, not yet described (the DescribeTasks after their listing failed). */
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
   * Lists and describes what is new; `ecs` overrides the client for this refresh (a poll's reads go once). The ARNs a
   * listing found are kept until they are described: when only DescribeTasks failed, the next refresh describes them
   * even if its own ListTasks fails (`listedNow` is then false: newer stops may be missing), so a crash loop is not
   * seen a round later for each failed read of a three-read round.
   */
  async refresh(ecs: ECSClient = this.ecs): Promise<Task[]> {
    let listed = true;
    try {
      for (const arn of await listStoppedTaskArns(ecs, this.cluster, this.service)) {
        if (!this.known.has(arn) && !this.others.has(arn)) this.pending.add(arn);
      }
    } catch (error) {
      if (this.pending.size === 0 || !isTransientAwsError(error)) throw error;
      listed = false;
    }
    const described = await describeTasks(ecs, this.cluster, [...this.pending]);
    this.pending.clear();
    this.stopping = 0;
    for (const task of described) {
      if (!task.taskArn) continue;
      // A task whose desired status is STOPPED may still be shutting down; describe it again next time.
      if (task.lastStatus !== 'STOPPED') {
        if (task.startedBy === this.deploymentId) this.stopping++;
        continue;
      }
      if (task.startedBy === this.deploymentId) this.known.set(task.taskArn, task);
      else this.others.add(task.taskArn);
    }
    this.listed = listed;
    return this.tasks();
  }

  /** Whether the last refresh's own ListTasks answered (false: it described only the ARNs an earlier one listed). */
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
export function listStoppedTaskArns(ecs: ECSClient, cluster: string, service: string): Promise<string[]> {
  return listTaskArns(ecs, { cluster, serviceName: service, desiredStatus: 'STOPPED' });
}
