import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition, Deployment, Task } from '@aws-sdk/client-ecs';
import { formatDuration } from '../inputs/duration';
import type { Logger } from '../logger';
import { shortTaskDefinition } from './identifiers';
import { primaryDeployment } from './service';
import { awslogsLocation, readLogTail, type LogTail } from './log-tail';
import { essentialFailure, explainStop } from './stop-reasons';
import type { WatchOutcome } from './watch';

export const LOG_TAIL_LINES = 20;

/**
 * The last lines of the most recent crashed container of the new revision, read from its awslogs stream.
 * The most recent crash is the one most likely to show the current cause after a fix-and-retry.
 */
export async function gatherLogTail(
  failedTasks: Task[],
  containers: ContainerDefinition[],
  logs: CloudWatchLogsClient,
  log: Logger,
): Promise<LogTail | undefined> {
  for (const task of [...failedTasks].reverse()) {
    const crashed = essentialFailure(task, containers) ?? task.containers?.[0];
    const definition = containers.find((c) => c.name === crashed?.name);
    const location = task.taskArn ? awslogsLocation(definition, task.taskArn) : undefined;
    if (!location || !crashed?.name || !task.taskArn) continue;
    const lines = await readLogTail(logs, location, LOG_TAIL_LINES, log);
    if (lines && lines.length) return { ...location, container: crashed.name, taskArn: task.taskArn, lines };
  }
  return undefined;
}

export interface RolloutFacts {
  deploymentId: string;
  taskDefinitionArn: string;
  timeoutMs: number;
  outcome: WatchOutcome;
  logTail?: LogTail;
  /** The new revision's containers, so a crash is blamed on an essential container, not a sidecar. */
  containers?: ContainerDefinition[];
}

/** One paragraph a person can act on: what failed, why, what state the service is in, what to do. */
export function explainRollout(facts: RolloutFacts): string {
  const { outcome } = facts;
  const revision = shortTaskDefinition(facts.taskDefinitionArn);
  const subject = `Deployment ${facts.deploymentId} of ${revision}`;
  const cause = describeCause(outcome.failedTasks, facts.logTail, facts.containers);
  const primary = primaryDeployment(outcome.service);
  const ours = outcome.service?.deployments?.find((d) => d.id === facts.deploymentId);
  switch (outcome.status) {
    case 'succeeded':
      return `${subject} completed: ${counts(ours)}.`;
    case 'rolled-back':
      return join(
        `${subject} failed and ECS's deployment circuit breaker is rolling the service back to ${shortTaskDefinition(primary?.taskDefinition)} (${outcome.reason}).`,
        cause,
        'Fix the cause in the new revision and deploy again.',
      );
    case 'failed':
      if (outcome.verdict?.state === 'failed' && outcome.verdict.replacedBy) {
        return join(
          `${subject} was replaced before it finished: ${outcome.reason}.`,
          'Another deploy or a person changed the service meanwhile; the service events below show what happened.',
        );
      }
      return join(
        `${subject} failed: ${outcome.reason}.`,
        cause,
        'The tasks of the previous revision keep serving while ECS keeps trying to start the new one; deploy a fix or roll back (auto-rollback).',
      );
    case 'timed-out':
      return join(
        `${subject} did not finish within ${formatDuration(facts.timeoutMs)}: ${counts(ours)}.`,
        cause ??
          'No task of the new revision has failed yet: tasks stuck in PENDING usually mean no capacity or an image pull that hangs, and a health check grace period longer than the timeout delays the steady state.',
        'ECS carries on with the deployment; this step no longer waits for it.',
      );
  }
}

function describeCause(failedTasks: Task[], logTail: LogTail | undefined, containers?: ContainerDefinition[]): string | undefined {
  if (failedTasks.length === 0) return undefined;
  const latest = failedTasks[failedTasks.length - 1];
  const many = failedTasks.length === 1 ? 'One task stopped' : `${failedTasks.length} tasks stopped`;
  const lastLine = logTail?.lines.filter((line) => line.trim() !== '').pop();
  const quote = lastLine ? ` Its last log line: "${lastLine.slice(0, 300)}".` : '';
  return `${many}; the latest because ${explainStop(latest, containers)}.${quote}`;
}

function counts(deployment: Deployment | undefined): string {
  if (!deployment) return 'the deployment is no longer on the service';
  const failed = deployment.failedTasks ? `, ${deployment.failedTasks} failed` : '';
  return `${deployment.runningCount ?? 0} of ${deployment.desiredCount ?? 0} tasks running, ${deployment.pendingCount ?? 0} pending${failed}`;
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}
