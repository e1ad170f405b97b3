import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { poll, systemClock, WorkflowCancelled, type CancellationSignal, type Clock, type Logger } from '../../common';
import { LogFollower, type LogLocation } from '../../logs';

export interface FollowRequest {
  cluster: string;
  taskArn: string;
  /** Where the migration container's awslogs go; undefined when it has no awslogs configuration. */
  logLocation?: LogLocation;
  timeoutMs: number;
  intervalMs?: number;
  /** Aborted when the workflow is cancelled: following ends at once, cutting the poll interval's sleep short. */
  signal?: CancellationSignal;
}

export interface FollowDependencies {
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  log: Logger;
  clock?: Clock;
}

export type FollowOutcome =
  | { state: 'stopped'; task: Task; lines: string[] }
  | { state: 'timed-out'; task: Task; lines: string[] }
  | { state: 'cancelled'; task?: Task; lines: string[] };

/** How long a task stopped on timeout gets to end: ECS's default stop timeout, 30 s, and some margin. */
const STOP_GRACE_MS = 60_000;
const DRAIN_READS = 4;
const DRAIN_PAUSE_MS = 500;

/**
 * Streams the container's log into the job log while the task runs, and ends when the task is STOPPED.
 * Each poll reads the log first and the task second, so every line written before the stop is printed
 * before the verdict; one more read after the stop catches lines that arrived meanwhile.
 */
export async function followTask(request: FollowRequest, deps: FollowDependencies): Promise<FollowOutcome> {
  const { ecs, log, clock = systemClock } = deps;
  const follower = request.logLocation ? new LogFollower(deps.logs, request.logLocation) : undefined;
  const lines: string[] = [];
  let lastStatus: string | undefined;
  let latest: Task | undefined;

  const printNewLines = async () => {
    const events = (await follower?.readNew()) ?? [];
    for (const event of events) {
      const message = (event.message ?? '').replace(/\s+$/, '');
      lines.push(message);
      // A prefix keeps a line that starts with "::" from being read as a workflow command.
      log.info(`| ${message}`);
    }
    return events.length;
  };
  // The log driver may deliver a stopped container's last lines a moment later: read on while they keep coming.
  const drain = async () => {
    for (let attempt = 0; attempt < DRAIN_READS && (await printNewLines()) > 0; attempt++) await clock.sleep(DRAIN_PAUSE_MS);
  };
  const untilStopped = (timeoutMs: number) =>
    poll<Task | 'cancelled'>({
      intervalMs: request.intervalMs ?? 1000,
      timeoutMs,
      clock,
      signal: request.signal,
      check: async () => {
        if (request.signal?.aborted) return 'cancelled';
        await printNewLines();
        const task = await describeTask(ecs, request.cluster, request.taskArn);
        latest = task;
        if (task.lastStatus !== lastStatus) {
          lastStatus = task.lastStatus;
          if (task.lastStatus !== 'STOPPED') log.info(`Task ${task.lastStatus}.`);
        }
        return task.lastStatus === 'STOPPED' ? task : undefined;
      },
    }).catch((error: unknown) => {
      // The signal ended the interval's sleep: following is cancelled, as when the check saw it first.
      if (error instanceof WorkflowCancelled) return { done: true as const, value: 'cancelled' as const, attempts: 0 };
      throw error;
    });

  const result = await untilStopped(request.timeoutMs);
  if (result.done && result.value === 'cancelled') return { state: 'cancelled', task: latest, lines };
  if (result.done) {
    await drain();
    return { state: 'stopped', task: result.value as Task, lines };
  }

  await ecs.send(
    new StopTaskCommand({ cluster: request.cluster, task: request.taskArn, reason: 'run-migration: the timeout was reached' }),
  );
  log.info('The timeout was reached: StopTask sent, waiting for the task to stop.');
  const stopped = await untilStopped(STOP_GRACE_MS);
  await drain();
  const task = stopped.done && stopped.value !== 'cancelled' ? stopped.value : await describeTask(ecs, request.cluster, request.taskArn);
  return { state: 'timed-out', task, lines };
}

export async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task> {
  const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  const task = answer.tasks?.[0];
  if (!task) throw new Error(`DescribeTasks no longer finds task ${taskArn}: ${answer.failures?.[0]?.reason ?? 'MISSING'}.`);
  return task;
}
