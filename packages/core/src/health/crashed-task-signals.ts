import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { sendingOnce } from '../common/aws';
import { sameRevision, shortTaskDefinition, taskId } from '../common/identifiers';
import { isFailedTask } from '../ecs/rollout';
import { explainStop } from '../ecs/stop-reasons';
import { describeTasks, listTaskArns } from '../ecs/task-queries';
import { withRequiredPermission } from './required-permission';
import { readOrUnread, type SignalReader, type SignalReading } from './signals';

const CRASH_PURPOSE = "reads the service's stopped tasks with it, so a service whose tasks crash between rounds is not found healthy";

export interface CrashedTaskOptions {
  ecs: ECSClient;
  cluster: string;
  service: string;
  /** Only tasks of this revision count (the release judged); every task of the service when undefined. */
  taskDefinition?: string;
}

/**
 * The tasks of the service that crashed since the check began: an essential container exited (EssentialContainerExited),
 * the task failed to start (TaskFailedToStart), or its load balancer's health checks failed. A crash-looping service
 * looks steady between its crashes (ECS keeps the deployment COMPLETED and starts a replacement each time, so
 * runningCount equals desiredCount most of the time), and a worker with no URL has nothing else to show it. So one
 * crash is fatal, as an alarm in ALARM is: the check (and its bake) fails at once, naming the task and why it stopped.
 *
 * ListTasks with desiredStatus STOPPED lists the service's stopped tasks (ECS keeps them about an hour); those already
 * listed at the first read stopped before the check and are never described. Later ones are described once each,
 * since a stopped task never changes.
 */
export function crashedTaskSignals(options: CrashedTaskOptions): SignalReader {
  const ecs = sendingOnce(options.ecs);
  const source = `tasks of service ${options.service}`;
  let before: Set<string> | undefined;
  const described = new Set<string>();
  const crashed: Task[] = [];
  return async () =>
    readOrUnread(source, async () => {
      const listed = await withRequiredPermission('ecs:ListTasks', CRASH_PURPOSE, () =>
        listTaskArns(ecs, { cluster: options.cluster, serviceName: options.service, desiredStatus: 'STOPPED' }),
      );
      if (before === undefined) {
        before = new Set(listed);
        return [reading(source, crashed, options.taskDefinition)];
      }
      const fresh = listed.filter((arn) => !before?.has(arn) && !described.has(arn));
      if (fresh.length) {
        const tasks = await withRequiredPermission('ecs:DescribeTasks', CRASH_PURPOSE, () => describeTasks(ecs, options.cluster, fresh));
        for (const task of tasks) {
          // A task ECS is still stopping is listed again next round, once STOPPED with its exit codes.
          if (!task.taskArn || task.lastStatus !== 'STOPPED') continue;
          described.add(task.taskArn);
          if (!isFailedTask(task)) continue;
          if (options.taskDefinition !== undefined && !sameRevision(task.taskDefinitionArn, options.taskDefinition)) continue;
          crashed.push(task);
        }
      }
      return [reading(source, crashed, options.taskDefinition)];
    });
}

function reading(source: string, crashed: Task[], taskDefinition: string | undefined): SignalReading {
  const of = taskDefinition === undefined ? '' : ` of ${shortTaskDefinition(taskDefinition)}`;
  if (crashed.length === 0) return { source, passed: true, detail: `no task${of} crashed since the check began` };
  const [first] = crashed;
  const more = crashed.length > 1 ? ` (${crashed.length} tasks${of} crashed since the check began)` : '';
  return {
    source,
    passed: false,
    fatal: true,
    detail: `task ${taskId(first.taskArn)}${of} crashed: ${explainStop(first)}${more}`,
  };
}
