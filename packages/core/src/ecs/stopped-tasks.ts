import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTasks, listTaskArns } from './task-queries';

/**
 * Follows the stopped tasks of one deployment of a service. ECS sets a service task's startedBy to its deployment
 * ID, but ListTasks refuses startedBy combined with any other filter ("When you specify startedBy as the filter, it
 * must be the only filter that you use", ListTasks in the ECS API reference), and without desiredStatus it lists
 * running tasks only. So one ListTasks call asks for the service's stopped tasks and DescribeTasks tells whose they
 * are. Each stopped task is described once, ours or not, since a stopped task never changes.
 */
export class StoppedTaskTracker {
  private readonly known = new Map<string, Task>();
  private readonly others = new Set<string>();

  constructor(
    private readonly ecs: ECSClient,
    private readonly cluster: string,
    private readonly service: string,
    private readonly deploymentId: string,
  ) {}

  async refresh(): Promise<Task[]> {
    const arns = await listTaskArns(this.ecs, { cluster: this.cluster, serviceName: this.service, desiredStatus: 'STOPPED' });
    const unseen = arns.filter((arn) => !this.known.has(arn) && !this.others.has(arn));
    for (const task of await describeTasks(this.ecs, this.cluster, unseen)) {
      // A task whose desired status is STOPPED may still be shutting down; describe it again next time.
      if (!task.taskArn || task.lastStatus !== 'STOPPED') continue;
      if (task.startedBy === this.deploymentId) this.known.set(task.taskArn, task);
      else this.others.add(task.taskArn);
    }
    return this.tasks();
  }

  tasks(): Task[] {
    return [...this.known.values()].sort((a, b) => time(a.stoppedAt) - time(b.stoppedAt));
  }
}

function time(value: Date | undefined): number {
  return value ? new Date(value).getTime() : 0;
}
