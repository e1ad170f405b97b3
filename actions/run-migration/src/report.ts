import type { ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import {
  codeBlock,
  explainStop,
  formatCommand,
  formatDuration,
  heading,
  link,
  logStreamLink,
  section,
  shortTaskDefinition,
  table,
  taskId,
  taskLink,
  type LogLocation,
  type Logger,
} from '@ecs-deploy/core';

export type MigrationStatus = 'succeeded' | 'failed' | 'timed-out' | 'cancelled';

export interface MigrationFacts {
  region: string;
  cluster: string;
  task: Task;
  taskDefinitionArn: string;
  container: string;
  containers: ContainerDefinition[];
  /** The command run: the override, else the definition's, else the image's default. */
  command?: string[];
  startedAt: number;
  finishedAt: number;
  timeoutMs: number;
  status: MigrationStatus;
  lines: string[];
  logLocation?: LogLocation;
}

export const TAIL_LINES = 20;

/** The migration container's exit code; undefined when it never ran (it could not start). */
export function exitCodeOf(task: Task, container: string): number | undefined {
  const code = task.containers?.find((c) => c.name === container)?.exitCode;
  return code === null ? undefined : code;
}

/** Success is every essential container exiting 0 (ContainerDefinition.essential: true unless set false). */
export function succeeded(task: Task, containers: ContainerDefinition[]): boolean {
  const essential = (task.containers ?? []).filter((c) => containers.find((d) => d.name === c.name)?.essential !== false);
  return essential.length > 0 && essential.every((c) => c.exitCode === 0);
}

/** One paragraph a person can act on. */
export function explainMigration(facts: MigrationFacts): string {
  const subject = `Migration task ${taskId(facts.task.taskArn)} (${shortTaskDefinition(facts.taskDefinitionArn)})`;
  const quote = quoteError(facts.lines);
  const lastLines = quote ? ` Its log ends with: ${quote}${/[.!?]$/.test(quote) ? '' : '.'}` : '';
  switch (facts.status) {
    case 'succeeded':
      return `${subject} succeeded: container "${facts.container}" exited with code 0 after ${formatDuration(facts.finishedAt - facts.startedAt)}.`;
    case 'timed-out':
      return `${subject} did not finish within the timeout of ${formatDuration(facts.timeoutMs)}, so it was stopped (StopTask); ${explainStop(facts.task, facts.containers)}.${lastLines} Raise 'timeout' if the migration needs longer, and check what the migration was waiting for (a lock, a long backfill).`;
    case 'cancelled':
      return `The workflow was cancelled while ${subject} was running.`;
    case 'failed':
      return `${subject} failed: ${explainStop(facts.task, facts.containers)}.${lastLines}`;
  }
}

/**
 * The lines that say what went wrong: from the last one that looks like an error to the end (at most three),
 * else the last line. Migration tools print the error, then details.
 */
export function quoteError(lines: string[]): string | undefined {
  const written = lines.filter((line) => line.trim() !== '');
  if (written.length === 0) return undefined;
  const errorAt = written.findLastIndex((line) => /\b(error|fatal|exception|failed|panic)\b/i.test(line));
  const picked = errorAt >= 0 ? written.slice(errorAt, errorAt + 3) : written.slice(-1);
  return picked.map((line) => line.trim().slice(0, 300)).join(' / ');
}

export function migrationSummaryMarkdown(facts: MigrationFacts): string {
  const exitCode = exitCodeOf(facts.task, facts.container);
  const icon = facts.status === 'succeeded' ? '✅' : facts.status === 'cancelled' ? '⚠️' : '❌';
  const rows: (string | number | undefined)[][] = [
    ['Task', link(taskId(facts.task.taskArn), taskLink(facts.region, facts.cluster, facts.task.taskArn ?? ''))],
    ['Task definition', shortTaskDefinition(facts.taskDefinitionArn)],
    ['Container', facts.container],
    ['Command', facts.command ? `\`${formatCommand(facts.command)}\`` : "the image's default"],
    ['Started by', facts.task.startedBy],
    ['Duration', formatDuration(facts.finishedAt - facts.startedAt)],
    ['Exit code', exitCode],
    ['Status', facts.status],
  ];
  if (facts.task.stopCode && facts.status !== 'succeeded') rows.push(['Stop code', facts.task.stopCode], ['Stopped reason', facts.task.stoppedReason]);
  const tail = facts.lines.slice(-TAIL_LINES);
  return section(
    heading(`${icon} Migration in ${facts.cluster}: ${facts.status}`),
    facts.status === 'succeeded' ? undefined : explainMigration(facts),
    table(['', ''], rows),
    tail.length ? section(heading(`Last ${tail.length} log lines of ${facts.container}`, 3), codeBlock(tail)) : undefined,
    facts.logLocation ? link('Open the log stream', logStreamLink(facts.region, facts.logLocation)) : undefined,
  );
}

/** The verdict as plain text, then the last lines: a long migration's end may be far above in the job log. */
export function logMigrationEvidence(facts: MigrationFacts, log: Logger): void {
  log.info(`❌ ${explainMigration(facts)}`);
  const tail = facts.lines.slice(-TAIL_LINES);
  if (tail.length === 0) return;
  log.info(`Last log lines of container "${facts.container}"${facts.logLocation ? ` (log group ${facts.logLocation.group}, stream ${facts.logLocation.stream})` : ''}:`);
  for (const line of tail) log.info(`  | ${line}`);
}
