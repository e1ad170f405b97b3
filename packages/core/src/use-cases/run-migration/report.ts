import type { ContainerDefinition, Task } from '@aws-sdk/client-ecs';
import { formatCommand, formatDuration, shortTaskDefinition, taskId, type Logger } from '../../common';
import { codeBlock, heading, link, section, table } from '../../report';
import { type LogLocation } from '../../logs';
import { explainStop, logStreamLink, taskLink } from '../../ecs';
import { describeOtherContainer, judgeMigration, withCulpritFirst } from './verdict';

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

/** One paragraph a person can act on. */
export function explainMigration(facts: MigrationFacts): string {
  const subject = `Migration task ${taskId(facts.task.taskArn)} (${shortTaskDefinition(facts.taskDefinitionArn)})`;
  const quote = quoteError(facts.lines);
  const lastLines = quote ? ` Its log ends with: ${quote}${/[.!?]$/.test(quote) ? '' : '.'}` : '';
  const verdict = judgeMigration(facts.task, facts.containers, facts.container);
  const stop = () => explainStop(withCulpritFirst(facts.task, facts.container, verdict), facts.containers);
  const others = verdict.others.length
    ? ` Other containers, for information: ${verdict.others.map(describeOtherContainer).join('; ')}.`
    : '';
  switch (facts.status) {
    case 'succeeded':
      return `${subject} succeeded: container "${facts.container}" exited with code 0 after ${formatDuration(facts.finishedAt - facts.startedAt)}.${others}`;
    case 'timed-out':
      return `${subject} did not finish within the timeout of ${formatDuration(facts.timeoutMs)}, so it was stopped (StopTask); ${stop()}.${lastLines} Raise 'timeout' if the migration needs longer, and check what the migration was waiting for (a lock, a long backfill).`;
    case 'cancelled':
      return `The workflow was cancelled while ${subject} was running.`;
    case 'failed': {
      const crashed = verdict.crashedEssential;
      if (verdict.exitCode === 0 && crashed) {
        const how = crashed.exitCode === undefined ? 'failed' : `exited with code ${crashed.exitCode}`;
        return `${subject} failed: container "${facts.container}" exited with code 0, but essential container "${crashed.name}" ${how}${crashed.reason ? ` (${crashed.reason})` : ''}, not the 143 or 137 of a container stopped after the migration ended. Any essential container that exits stops the task, so it may have cut the migration short. Check that container's log, or set "essential": false on it if the migration does not need it.${lastLines}`;
      }
      return `${subject} failed: ${stop()}.${lastLines}`;
    }
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
  if (facts.task.stopCode && facts.status !== 'succeeded')
    rows.push(['Stop code', facts.task.stopCode], ['Stopped reason', facts.task.stoppedReason]);
  const tail = facts.lines.slice(-TAIL_LINES);
  const others = judgeMigration(facts.task, facts.containers, facts.container).others;
  return section(
    heading(`${icon} Migration in ${facts.cluster}: ${facts.status}`),
    facts.status === 'succeeded' ? undefined : explainMigration(facts),
    table(['', ''], rows),
    others.length
      ? section(
          heading('Other containers of the task', 3),
          table(
            ['Container', 'Essential', 'Exit code', 'How it ended'],
            others.map((c) => [c.name, c.essential ? 'yes' : 'no', c.exitCode, describeOtherContainer(c)]),
          ),
        )
      : undefined,
    tail.length ? section(heading(`Last ${tail.length} log lines of ${facts.container}`, 3), codeBlock(tail)) : undefined,
    facts.logLocation && logStreamLink(facts.region, facts.logLocation)
      ? link('Open the log stream', logStreamLink(facts.region, facts.logLocation))
      : undefined,
  );
}

/** The verdict as plain text, then the last lines: a long migration's end may be far above in the job log. */
export function logMigrationEvidence(facts: MigrationFacts, log: Logger): void {
  log.info(`❌ ${explainMigration(facts)}`);
  const tail = facts.lines.slice(-TAIL_LINES);
  if (tail.length === 0) return;
  log.info(
    `Last log lines of container "${facts.container}"${facts.logLocation ? ` (log group ${facts.logLocation.group}, stream ${facts.logLocation.stream})` : ''}:`,
  );
  for (const line of tail) log.info(`  | ${line}`);
}
