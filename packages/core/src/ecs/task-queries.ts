import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type ListTasksCommandInput, type Task } from '@aws-sdk/client-ecs';

/**
 * Every task ARN ListTasks answers for the filter, across pages. `onPage` hears each page as it comes, so a caller
 * keeps what the first pages gave when a later one fails.
 */
export async function listTaskArns(
  ecs: ECSClient,
  filter: Omit<ListTasksCommandInput, 'nextToken'>,
  onPage?: (arns: string[]) => void,
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTasksCommand({ ...filter, nextToken }));
    arns.push(...(page.taskArns ?? []));
    onPage?.(page.taskArns ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** DescribeTasks in batches of 100, its limit; `onBatch` hears each batch's tasks as they come. */
export async function describeTasks(ecs: ECSClient, cluster: string, arns: string[], onBatch?: (tasks: Task[]) => void): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...(answer.tasks ?? []));
    onBatch?.(answer.tasks ?? []);
  }
  return tasks;
}
