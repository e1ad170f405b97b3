import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition, Deployment, Task } from '@aws-sdk/client-ecs';
import { formatDuration } from '../common/duration';
import type { Logger } from '../common/logger';
import { shortTaskDefinition } from '../common/identifiers';
import { primaryDeployment } from './service';
import { awslogsLocation, readLogTail, type LogTail } from '../logs/log-tail';
import { startupKillHint } from './startup-kill-hint';
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
  const causeOf =
    join(
      describeCause(outcome.failedTasks, facts.logTail, facts.containers),
      startupKillHint(outcome.failedTasks, outcome.startupHealth, outcome.service),
    ) || undefined;
  const primary = primaryDeployment(outcome.service);
  const ours = outcome.service?.deployments?.find((d) => d.id === facts.deploymentId);
  const verdict = outcome.verdict;
  switch (outcome.status) {
    case 'succeeded':
      return `${subject} completed: ${outcome.progress ?? counts(ours)}.`;
    case 'rolled-back': {
      const backTo = shortTaskDefinition(outcome.rolledBackTo ?? primary?.taskDefinition);
      const back = `${outcome.rolledBackBy ?? 'ECS'} is rolling the service back to ${backTo}`;
      const cause = verdict?.state === 'rolled-back' ? verdict.cause : 'circuit-breaker';
      const opening =
        cause === 'alarm' || cause === 'lifecycle-hook' || (outcome.rolledBackBy && cause !== 'rollback-requested')
          ? `${subject} failed: ${outcome.reason}, and ${back}.`
          : cause === 'circuit-breaker'
            ? `${subject} failed and ECS's deployment circuit breaker is rolling the service back to ${backTo} (${outcome.reason}).`
            : `${subject} was stopped and ${back} (${outcome.reason}).`;
      return join(opening, causeOf, outcome.advice ?? 'Fix the cause in the new revision and deploy again.');
    }
    case 'failed':
      if (verdict?.state === 'failed' && verdict.replacedBy) {
        return join(
          `${subject} was replaced before it finished: ${outcome.reason}.`,
          'Another deploy or a person changed the service meanwhile; the service events below show what happened.',
        );
      }
      if (verdict?.state === 'failed' && verdict.cause === 'rollback-failed') {
        return join(
          `${subject} failed, and ${outcome.reason}: ECS does not try again, and the service may run neither revision fully.`,
          causeOf,
          'Look at the stopped tasks and events below, then deploy a revision that works (or run auto-rollback with an explicit task-definition).',
        );
      }
      return join(`${subject} failed: ${outcome.reason}.`, causeOf, outcome.advice ?? failedAdvice(verdict));
    case 'baking':
      if (outcome.greenNote) return `${subject} ${outcome.greenNote}`;
      return `${subject} is baking (${outcome.stage ?? 'BAKE_TIME'}): production traffic is wholly on the new revision while the old one keeps running; ECS finishes the deployment after the bake, and this step no longer waits for it.`;
    case 'paused':
      if (outcome.greenNote) return `${subject} ${outcome.greenNote}`;
      return `${subject} is paused at ${outcome.stage ?? 'a lifecycle stage'}: PAUSE hook ${outcome.hookId ?? ''} awaits action (ContinueServiceDeployment, e.g. verify-health's continue-deployment), and this step no longer waits for it.`;
    case 'timed-out':
      return join(
        `${subject} did not finish within ${formatDuration(facts.timeoutMs)}: ${outcome.progress ?? counts(ours)}.`,
        causeOf ??
          'No task of the new revision has failed yet: tasks stuck in PENDING usually mean no capacity or an image pull that hangs, and a health check grace period longer than the timeout delays the steady state.',
        outcome.advice ?? 'ECS carries on with the deployment; this step no longer waits for it.',
      );
  }
}

/** What a person can do next, which depends on what ECS does with the failed deployment. */
function failedAdvice(verdict: WatchOutcome['verdict']): string {
  if (verdict?.state === 'failed' && verdict.noRollback) {
    return 'ECS launches no more tasks of the new revision and did not roll back: deploy a fix, or roll back (auto-rollback) if an earlier revision worked.';
  }
  if (verdict?.state === 'failed' && (verdict.cause === 'circuit-breaker' || verdict.cause === 'alarm')) {
    // A FAILED deployment launches no more tasks; without a rollback, the old ones keep serving.
    return 'ECS launches no more tasks of the new revision and the tasks of the previous revision keep serving; deploy a fix or roll back (auto-rollback).';
  }
  return 'The tasks of the previous revision keep serving while ECS keeps trying to start the new one; deploy a fix or roll back (auto-rollback).';
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
