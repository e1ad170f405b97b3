import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTasks, listTaskArns } from './task-queries';

/**
 * Follows the stopped tasks of one deployment. ECS sets a service task's startedBy to its deployment ID,
 * so one ListTasks call finds them; each task is described once, since a stopped task never changes.
 */
export class StoppedTaskTracker {
  private readonly known = new Map<string, Task>();

  constructor(
    private readonly ecs: ECSClient,
    private readonly cluster: string,
    private readonly startedBy: string,
  ) {}

  async refresh(): Promise<Task[]> {
    const arns = await listTaskArns(this.ecs, { cluster: this.cluster, startedBy: this.startedBy, desiredStatus: 'STOPPED' });
    const unseen = arns.filter((arn) => !this.known.has(arn));
    // A task whose desired status is STOPPED may still be shutting down; describe it again next time.
    for (const task of await describeTasks(this.ecs, this.cluster, unseen)) if (task.taskArn && task.lastStatus === 'STOPPED') this.known.set(task.taskArn, task);
    return this.tasks();
  }

  tasks(): Task[] {
    return [...this.known.values()].sort((a, b) => time(a.stoppedAt) - time(b.stoppedAt));
  }
}

function time(value: Date | undefined): number {
  return value ? new Date(value).getTime() : 0;
}
