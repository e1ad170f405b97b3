import type { Task } from '@aws-sdk/client-ecs';
import { formatDuration } from '../common/duration';
import type { Logger } from '../common/logger';
import { codeBlock, heading, link, section, table } from '../report/markdown';
import { renderTimeline, type TimelineEntry } from '../report/timeline';
import { explainRollout, type RolloutFacts } from './diagnosis';
import { shortTaskDefinition, taskId } from '../common/identifiers';
import { logStreamLink, serviceDeploymentsLink, taskLink } from './links';
import { essentialFailure, explainStop } from './stop-reasons';
import { serviceDeploymentId } from './deployment-history';
import { stageLine, weightsText } from './stage-timeline';
import type { WatchOutcome } from './watch-loop';

export interface RolloutReport extends RolloutFacts {
  title: string;
  region: string;
  cluster: string;
  service: string;
  previousTaskDefinitionArn?: string;
  startedAt: number;
  /** Lines describing what changed, from describeChanges. */
  changes: string[];
  /** The call that started the deployment, for the timeline (default UpdateService). */
  startedWith?: string;
}

const EVENTS_SHOWN = 15;

/**
 * Prints the one-paragraph explanation, then the evidence, into the job log. The step's failure annotation
 * carries the same paragraph, so it is printed here as plain text rather than as a second annotation. The evidence
 * (stopped tasks, service events, log lines) goes in collapsible groups, so the paragraph is what a person sees first.
 */
export async function logRolloutEvidence(report: RolloutReport, log: Logger): Promise<void> {
  const { outcome } = report;
  log.info(`❌ ${explainRollout(report)}`);
  if (outcome.failedTasks.length) {
    const shown = outcome.failedTasks.slice(-10);
    const count =
      shown.length < outcome.failedTasks.length ? `the last ${shown.length} of ${outcome.failedTasks.length}` : `${shown.length}`;
    await log.group(`Stopped tasks of the new revision: ${count}`, async () => {
      for (const task of shown) log.info(`  ${describeTask(task, report)}`);
    });
  }
  if (outcome.events.length) {
    await log.group(`Service events since the update: ${Math.min(outcome.events.length, EVENTS_SHOWN)}`, async () => {
      for (const line of timeline(report).slice(-EVENTS_SHOWN)) log.info(`  ${line}`);
    });
  }
  if (report.logTail) {
    const tail = report.logTail;
    await log.group(`Last log lines of container "${tail.container}" (log group ${tail.group}, stream ${tail.stream}):`, async () => {
      for (const line of tail.lines) log.info(`  | ${line}`);
    });
  }
  const consoleUrl = serviceDeploymentsLink(report.region, report.cluster, report.service);
  if (consoleUrl) log.info(`Console: ${consoleUrl}`);
}

/** A verdict the step ends green on: success, or the stage wait-until asked for (baking, paused). */
export function isGreen(status: WatchOutcome['status']): boolean {
  return status === 'succeeded' || status === 'baking' || status === 'paused';
}

export function rolloutSummaryMarkdown(report: RolloutReport): string {
  const { outcome } = report;
  const failed = !isGreen(outcome.status);
  const facts = table(
    ['', ''],
    [
      ['Service', `${report.service} (cluster ${report.cluster}, ${report.region})`],
      ['Revision', `${shortTaskDefinition(report.previousTaskDefinitionArn)} → ${shortTaskDefinition(report.taskDefinitionArn)}`],
      ['Deployment', report.deploymentId],
      ...(outcome.serviceDeploymentArn ? [['Service deployment', serviceDeploymentId(outcome.serviceDeploymentArn)]] : []),
      ...(outcome.stage ? [['Lifecycle stage', `${outcome.stage}${weightsText(outcome)}`]] : []),
      ...(outcome.hookId ? [['Paused at hook', outcome.hookId]] : []),
      ['Status', outcome.status],
      ['Duration', formatDuration(outcome.finishedAt - report.startedAt)],
    ],
  );
  const tasks = outcome.failedTasks.length
    ? table(
        ['Task', 'Stopped', 'Stop code', 'Exit code', 'Why'],
        outcome.failedTasks
          .slice(-10)
          .map((task) => [
            link(taskId(task.taskArn), taskLink(report.region, report.cluster, task.taskArn ?? '')),
            stoppedOffset(task, report.startedAt),
            task.stopCode,
            essentialFailure(task, report.containers)?.exitCode ?? undefined,
            explainStop(task, report.containers),
          ]),
      )
    : undefined;
  return section(
    heading(`${failed ? '❌' : '✅'} ${report.title}: ${outcome.status}`),
    failed ? explainRollout(report) : undefined,
    facts,
    report.changes.length ? section(heading('Changes', 3), report.changes.map((line) => `- ${line}`).join('\n')) : undefined,
    tasks ? section(heading('Stopped tasks of the new revision', 3), tasks) : undefined,
    report.logTail
      ? section(
          heading(`Last log lines of ${report.logTail.container}`, 3),
          codeBlock(report.logTail.lines),
          optionalLink('Open the log stream', logStreamLink(report.region, report.logTail)),
        )
      : undefined,
    section(heading('Timeline (seconds since the update)', 3), codeBlock(timeline(report))),
    optionalLink('Service deployments in the console', serviceDeploymentsLink(report.region, report.cluster, report.service)),
  );
}

/** A link on a line of its own, left out where the partition's console is not known. */
const optionalLink = (text: string, url: string | undefined) => (url ? link(text, url) : undefined);

function timeline(report: RolloutReport): string[] {
  const entries: TimelineEntry[] = [
    { at: report.startedAt, text: `${report.startedWith ?? 'UpdateService'}: deploy ${shortTaskDefinition(report.taskDefinitionArn)}` },
  ];
  for (const seen of report.outcome.stages ?? []) entries.push({ at: seen.at, text: stageLine(seen) });
  for (const event of report.outcome.events) {
    if (event.createdAt) entries.push({ at: new Date(event.createdAt).getTime(), text: event.message ?? '' });
  }
  for (const task of report.outcome.failedTasks) {
    if (task.stoppedAt)
      entries.push({
        at: new Date(task.stoppedAt).getTime(),
        text: `task ${taskId(task.taskArn)} stopped: ${explainStop(task, report.containers)}`,
      });
  }
  entries.push({ at: report.outcome.finishedAt, text: `verdict: ${report.outcome.status}` });
  return renderTimeline(report.startedAt, entries);
}

function describeTask(task: Task, report: RolloutReport): string {
  const container = essentialFailure(task, report.containers);
  const exit = container?.exitCode !== undefined && container?.exitCode !== null ? ` exit ${container.exitCode}` : '';
  return `${taskId(task.taskArn)} ${task.stopCode ?? ''}${exit}: ${explainStop(task, report.containers)}`;
}

function stoppedOffset(task: Task, origin: number): string | undefined {
  return task.stoppedAt ? `+${((new Date(task.stoppedAt).getTime() - origin) / 1000).toFixed(1)}s` : undefined;
}
