import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
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

/** The last lines a container wrote, or undefined when they cannot be read (a missing stream is not an error). */
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
    log.debug(`could not read ${location.group}/${location.stream}: ${(error as Error).message}`);
    return undefined;
  }
}
