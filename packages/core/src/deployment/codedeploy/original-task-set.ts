import type { Service } from '@aws-sdk/client-ecs';
import { taskSetLabelled, type CodeDeployDeploymentRead } from '../../codedeploy';
import { epochMs } from '../../ecs/times';
import { servingTaskDefinition } from './serving-task-definition';

/**
 * The revision CodeDeploy's rollback returns to: the original (Blue) task set's, matched by id to the service's task
 * sets (ECSTaskSet.identifer; that it is ECS's task set id is *unconfirmed*, so the task set ARN's last part counts
 * too), else the service's oldest task set (the original was there before the replacement). Before the deployment
 * made its replacement, the PRIMARY task set's: nothing has moved. Undefined when the service lists no task set.
 */
export function originalTaskDefinition(service: Service, read: CodeDeployDeploymentRead): string | undefined {
  const blue = taskSetLabelled(read.target, 'Blue')?.identifer;
  const taskSets = service.taskSets ?? [];
  const match = blue ? taskSets.find((taskSet) => taskSet.id === blue || taskSet.taskSetArn?.endsWith(`/${blue}`)) : undefined;
  if (match?.taskDefinition) return match.taskDefinition;
  if (taskSets.length <= 1) return servingTaskDefinition(service);
  return [...taskSets].sort((a, b) => epochMs(a.createdAt) - epochMs(b.createdAt))[0]?.taskDefinition;
}
