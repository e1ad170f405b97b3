import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { ActionFailure, taskId } from '../../common';
import { describeTasks, listTaskArns } from '../../ecs';
import { STARTED_BY_PREFIX } from './started-by';

/**
 * Migration tasks of the family that this action started and that still run. ListTasks cannot filter by
 * family and startedBy at once (startedBy must be its only filter), so the family's tasks are described.
 */
export async function runningMigrations(ecs: ECSClient, cluster: string, family: string): Promise<Task[]> {
  const arns = await listTaskArns(ecs, { cluster, family, desiredStatus: 'RUNNING' });
  const tasks = await describeTasks(ecs, cluster, arns);
  return tasks.filter((task) => task.startedBy?.startsWith(STARTED_BY_PREFIX));
}

/** Two migrations of one schema at once corrupt it or deadlock; refuse unless the workflow says it is safe. */
export function refuseConcurrent(running: Task[], family: string, cluster: string): void {
  if (running.length === 0) return;
  const described = running
    .map((task) => `${taskId(task.taskArn)} (${task.lastStatus}, started by ${task.startedBy}${task.createdAt ? ` at ${new Date(task.createdAt).toISOString()}` : ''})`)
    .join(', ');
  throw new ActionFailure(
    `Another migration of task definition family ${family} is still running in cluster ${cluster}: task ${described}. ` +
      `Nothing was started. Wait for it to finish, or stop it (aws ecs stop-task --cluster ${cluster} --task ${running[0].taskArn}), ` +
      "or set 'allow-concurrent: true' if these migrations may run side by side.",
  );
}
