import { DescribeTasksCommand, StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { retryTransient, taskId, type RetryContext } from '../../common';

/** A task in one of these states is on its way down already: a StopTask sent before took effect, or it ended on its own. */
const STOPPING = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED', 'DELETED']);

export interface StopOptions extends RetryContext {
  /** Attempts in all; the first retry after about `baseDelayMs`, each next one after twice as long. */
  attempts?: number;
  baseDelayMs?: number;
}

/**
 * Stops the migration task. A StopTask that was throttled, failed with a 5xx or lost its connection is tried again
 * (retryTransient, each retry logged), but first the task is read: when it is already stopping (the lost call took
 * effect, or the task ended meanwhile) nothing more is sent. A re-read that fails is no reason not to retry: a
 * second StopTask of a stopping task changes nothing.
 *
 * Pass no `signal` for a stop the workflow's cancellation itself asks for (stop-on-cancel): retryTransient makes no
 * attempt after a cancellation, and this stop is the one call a cancelled run still owes.
 */
export async function stopMigrationTask(
  ecs: ECSClient,
  target: { cluster: string; taskArn: string; reason: string },
  options: StopOptions,
): Promise<void> {
  const { attempts = 4, baseDelayMs = 1_000, ...retry } = options;
  const { cluster, taskArn, reason } = target;
  await retryTransient(
    async (attempt) => {
      if (attempt > 1 && (await alreadyStopping(ecs, cluster, taskArn))) {
        retry.log.info(`Task ${taskId(taskArn)} is already stopping: the StopTask that failed took effect, or the task ended.`);
        return;
      }
      await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }));
    },
    { attempts, baseDelayMs, label: `StopTask of migration task ${taskId(taskArn)}`, ...retry },
  );
}

async function alreadyStopping(ecs: ECSClient, cluster: string, taskArn: string): Promise<boolean> {
  try {
    const task = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))).tasks?.[0];
    return task !== undefined && (task.desiredStatus === 'STOPPED' || STOPPING.has(task.lastStatus ?? ''));
  } catch {
    return false;
  }
}
