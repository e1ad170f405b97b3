import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { isFailedTask } from '../../ecs/rollout';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import { describeTasks } from '../../ecs/task-queries';
import { epochMs } from '../../ecs/times';

/**
 * The failed tasks of a replacement task set the watch never saw (CodeDeploy created and removed it between two
 * polls): the service's tasks stopped since the deployment (none listed before it), of the revision it deployed, and
 * not of the original task set. Oldest first, as a task-set watch returns them.
 */
export async function failedTasksOfRevision(
  ecs: ECSClient,
  request: { cluster: string; service: string; stoppedBefore?: string[] },
  taskDefinitionArn: string,
  originalTaskSetId: string | undefined,
): Promise<Task[]> {
  const before = new Set(request.stoppedBefore ?? []);
  const arns = (await listStoppedTaskArns(ecs, request.cluster, request.service)).filter((arn) => !before.has(arn));
  const tasks = arns.length ? await describeTasks(ecs, request.cluster, arns) : [];
  return tasks
    .filter((task) => task.lastStatus === 'STOPPED' && task.taskDefinitionArn === taskDefinitionArn && task.startedBy !== originalTaskSetId)
    .filter(isFailedTask)
    .sort((a, b) => epochMs(a.stoppedAt) - epochMs(b.stoppedAt));
}
