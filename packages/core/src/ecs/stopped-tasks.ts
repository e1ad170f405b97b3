import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';

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
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.ecs.send(
        new ListTasksCommand({ cluster: this.cluster, startedBy: this.startedBy, desiredStatus: 'STOPPED', nextToken }),
      );
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const unseen = arns.filter((arn) => !this.known.has(arn));
    for (let i = 0; i < unseen.length; i += 100) {
      const answer = await this.ecs.send(new DescribeTasksCommand({ cluster: this.cluster, tasks: unseen.slice(i, i + 100) }));
      // A task whose desired status is STOPPED may still be shutting down; describe it again next time.
      for (const task of answer.tasks ?? []) if (task.taskArn && task.lastStatus === 'STOPPED') this.known.set(task.taskArn, task);
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
