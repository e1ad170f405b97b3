import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import {
  isTransientAwsError,
  poll,
  sendingOnce,
  SkippedReads,
  systemClock,
  WorkflowCancelled,
  type CancellationSignal,
  type Clock,
  type Logger,
} from '../../common';
import { rolloutPollInterval } from '../../ecs';
import { LogFollower, type LogLocation } from '../../logs';
import { stopMigrationTask } from './stop-task';

export interface FollowRequest {
  cluster: string;
  taskArn: string;
  /** Where the migration container's awslogs go; undefined when it has no awslogs configuration. */
  logLocation?: LogLocation;
  timeoutMs: number;
  /** A fixed interval; by default rolloutPollInterval's, which slows down as a long migration goes on. */
  intervalMs?: number;
  /** Aborted when the workflow is cancelled: following ends at once, without another call. */
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

/**
 * How long a task stopped on timeout gets to end: ECS's default stop timeout, 30 s, and some margin. The action may
 * run this much past its timeout, which a workflow step's limit must allow for.
 */
export const MIGRATION_STOP_GRACE_MS = 60_000;
/** Reads of the log after the stop, at most, while lines keep coming (a read that finds none ends the drain)... */
const DRAIN_READS = 4;
/** ...and attempts in all, skipped ones included, so a throttled read does not cut the last lines off. */
const DRAIN_ATTEMPTS = 12;
const DRAIN_PAUSE_MS = 500;

/**
 * Streams the container's log into the job log while the task runs, and ends when the task is STOPPED.
 * Each poll reads the log first and the task second, so every line written before the stop is printed
 * before the verdict; one more read after the stop catches lines that arrived meanwhile.
 *
 * The reads are a poll loop's (core's poller, as deploy's watch): sent once, without the SDK's retries and their
 * backoff, since the next tick is the retry. A read that is throttled or fails transiently is skipped this round,
 * counted, with one warning when skips persist; the log is read on from the last token it got, so a skipped read
 * neither loses a line nor prints one twice.
 */
export async function followTask(request: FollowRequest, deps: FollowDependencies): Promise<FollowOutcome> {
  const { log, clock = systemClock } = deps;
  const ecs = sendingOnce(deps.ecs);
  const follower = request.logLocation ? new LogFollower(sendingOnce(deps.logs), request.logLocation) : undefined;
  const skipped = new SkippedReads(log, 'AWS (ECS or CloudWatch Logs)');
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
  /** The lines printed by one read, or undefined when the read was skipped. */
  const readSkipping = async () => {
    try {
      const printed = await printNewLines();
      skipped.read();
      return printed;
    } catch (error) {
      if (skipped.skip(error)) return undefined;
      throw error;
    }
  };
  // The log driver may deliver a stopped container's last lines a moment later: read on while they keep coming.
  const drain = async () => {
    let reads = 0;
    for (let attempt = 1; ; attempt++) {
      const printed = await readSkipping();
      if (printed === 0) return;
      if (printed !== undefined && ++reads >= DRAIN_READS) return;
      if (attempt >= DRAIN_ATTEMPTS) break;
      await clock.sleep(DRAIN_PAUSE_MS);
    }
    log.warning(
      `The log of task ${request.taskArn} could not be read to its end (its reads were throttled or failed ${skipped.count} times): its last lines may be missing here.`,
    );
  };
  const untilStopped = async (timeoutMs: number) => {
    try {
      return await poll<Task>({
        intervalMs: (elapsedMs) => skipped.intervalAfter(request.intervalMs ?? rolloutPollInterval(elapsedMs)),
        timeoutMs,
        clock,
        signal: request.signal,
        check: async () => {
          // The log and the task are read apart: a throttled log read must not keep the task's end from being
          // seen (the drain after the stop reads the lines that read missed), nor the other way round.
          let failure: unknown;
          const transient = (error: unknown) => {
            if (!isTransientAwsError(error)) throw error;
            failure = error;
            return undefined;
          };
          await printNewLines().catch(transient);
          const task = await describeTask(ecs, request.cluster, request.taskArn).catch(transient);
          if (failure === undefined) skipped.read();
          else skipped.skip(failure);
          if (!task) return undefined;
          latest = task;
          if (task.lastStatus !== lastStatus) {
            lastStatus = task.lastStatus;
            if (task.lastStatus !== 'STOPPED') log.info(`Task ${task.lastStatus}.`);
          }
          return task.lastStatus === 'STOPPED' ? task : undefined;
        },
      });
    } catch (error) {
      if (error instanceof WorkflowCancelled) return 'cancelled' as const;
      throw error;
    }
  };

  const result = await untilStopped(request.timeoutMs);
  if (result === 'cancelled') return { state: 'cancelled', task: latest, lines };
  if (result.done) {
    await drain();
    return { state: 'stopped', task: result.value, lines };
  }

  await stopMigrationTask(
    deps.ecs,
    { cluster: request.cluster, taskArn: request.taskArn, reason: 'run-migration: the timeout was reached' },
    { log, clock, signal: request.signal },
  );
  log.info('The timeout was reached: StopTask sent, waiting for the task to stop.');
  const stopped = await untilStopped(MIGRATION_STOP_GRACE_MS);
  await drain();
  const task = stopped !== 'cancelled' && stopped.done ? stopped.value : await describeTask(deps.ecs, request.cluster, request.taskArn);
  return { state: 'timed-out', task, lines };
}

export async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task> {
  const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  const task = answer.tasks?.[0];
  if (!task) throw new Error(`DescribeTasks no longer finds task ${taskArn}: ${answer.failures?.[0]?.reason ?? 'MISSING'}.`);
  return task;
}
