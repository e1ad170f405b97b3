import type { ECSClient, Task } from '@aws-sdk/client-ecs';
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
