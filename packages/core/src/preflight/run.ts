import { ConfigurationError } from '../common/errors';
import type { Logger } from '../common/logger';
import { resultMessage, type CheckResult, type PreflightCheck, type PreflightMode } from './check';
import { resultOfError } from './check-errors';
import { preflightMarkdown, preflightText, type PreflightRow } from './table';

export interface PreflightOptions {
  log: Logger;
  /** Defaults to `fail`. */
  mode?: PreflightMode;
}

export interface PreflightReport {
  /** One row a check, in the order the checks were given. */
  rows: PreflightRow[];
  /** The table for the job summary; the use case adds it to its own. */
  markdown: string;
  /** What a check that ran looked up, for the use case to go on with. */
  valueOf<T>(check: PreflightCheck<T>): T | undefined;
}

/**
 * Runs the checks at once (they are independent by contract), reports one table in the log, and fails the
 * step when any check fails. With one failure the error's message is that check's own, word for word, so a
 * guard that became a check still ends the step with the sentence it always did; with several, each is listed.
 */
export async function runPreflight(checks: PreflightCheck<unknown>[], options: PreflightOptions): Promise<PreflightReport> {
  const mode = options.mode ?? 'fail';
  const results = await Promise.all(checks.map((check) => (skipped(check, mode) ? undefined : settle(check, options.log))));
  const rows = checks.map((check, i) => rowOf(check, results[i], mode));
  options.log.info(preflightText(rows));
  for (const row of rows) if (row.status === 'warn') options.log.warning(`${row.title}: ${row.message}`);

  const failed = rows.filter((row) => row.status === 'fail');
  if (failed.length === 1) throw new ConfigurationError(failed[0].message, failed[0].input);
  if (failed.length > 1) throw new ConfigurationError(`${failed.length} pre-flight checks failed:\n${failed.map((row) => `- ${row.message}`).join('\n')}`);

  const values = new Map(checks.map((check, i) => [check, results[i]?.value]));
  return { rows, markdown: preflightMarkdown(rows), valueOf: <T>(check: PreflightCheck<T>) => values.get(check) as T | undefined };
}

function skipped(check: PreflightCheck<unknown>, mode: PreflightMode): boolean {
  return mode === 'off' && !check.protects;
}

async function settle(check: PreflightCheck<unknown>, log: Logger): Promise<CheckResult<unknown>> {
  try {
    return await check.run();
  } catch (error) {
    if (error instanceof Error && error.stack) log.debug(`pre-flight check ${check.id} threw: ${error.stack}`);
    return resultOfError(check, error);
  }
}

/** Applies the mode: only a check that does not protect is weakened from fail to warn. */
function rowOf(check: PreflightCheck<unknown>, result: CheckResult<unknown> | undefined, mode: PreflightMode): PreflightRow {
  const base = { id: check.id, title: check.title };
  if (!result) return { ...base, status: 'skip', message: 'not run: pre-flight checks are off' };
  const weakened = result.status === 'fail' && mode === 'warn' && !check.protects;
  return { ...base, status: weakened ? 'warn' : result.status, message: resultMessage(result), input: result.input };
}
