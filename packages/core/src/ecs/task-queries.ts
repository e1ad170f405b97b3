import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type ListTasksCommandInput, type Task } from '@aws-sdk/client-ecs';

/** Every task ARN ListTasks answers for the filter, across pages. */
export async function listTaskArns(ecs: ECSClient, filter: Omit<ListTasksCommandInput, 'nextToken'>): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTasksCommand({ ...filter, nextToken }));
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** DescribeTasks in batches of 100, its limit. */
export async function describeTasks(ecs: ECSClient, cluster: string, arns: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...(answer.tasks ?? []));
  }
  return tasks;
}
