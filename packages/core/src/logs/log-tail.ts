import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { isAccessDenied } from '../common/errors';
import type { Logger } from '../common/logger';
import { taskId } from '../common/identifiers';

export interface LogLocation {
  group: string;
  stream: string;
  region?: string;
}

export interface LogTail extends LogLocation {
  container: string;
  taskArn: string;
  lines: string[];
}

/**
 * Where the awslogs driver writes a task's container output: `<prefix>/<container>/<task-id>` in the
 * configured group (ECS developer guide, "Using the awslogs log driver"). Undefined without a prefix,
 * since the stream name is then not derivable from the task.
 */
export function awslogsLocation(container: ContainerDefinition | undefined, taskArn: string): LogLocation | undefined {
  const config = container?.logConfiguration;
  if (config?.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  return { group, stream: `${prefix}/${container?.name}/${taskId(taskArn)}`, region: config.options?.['awslogs-region'] };
}

/** The steps' loggers already told that the role may not read logs: said once a step, not once a stopped task. */
const toldDenied = new WeakSet<Logger>();

/**
 * The last lines a container wrote, or undefined when they cannot be read (a missing stream is not an error). A
 * role without logs:GetLogEvents is a warning naming it, once: the diagnosis goes on without log lines.
 */
export async function readLogTail(
  logs: CloudWatchLogsClient,
  location: LogLocation,
  limit: number,
  log: Logger,
): Promise<string[] | undefined> {
  try {
    const answer = await logs.send(
      new GetLogEventsCommand({ logGroupName: location.group, logStreamName: location.stream, limit, startFromHead: false }),
    );
    return (answer.events ?? []).map((event) => (event.message ?? '').replace(/\s+$/, ''));
  } catch (error) {
    if (isAccessDenied(error) && !toldDenied.has(log)) {
      toldDenied.add(log);
      log.warning(
        `Could not read the log of a stopped task (${(error as Error).name}): the diagnosis has no log lines. Grant logs:GetLogEvents on ${location.group} to have them.`,
      );
    }
    log.debug(`could not read ${location.group}/${location.stream}: ${(error as Error).message}`);
    return undefined;
  }
}
