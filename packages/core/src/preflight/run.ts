import { ConfigurationError } from '../common/errors';
import type { Logger } from '../common/logger';
import { resultMessage, type CheckResult, type PreflightCheck, type PreflightMode } from './check';
import { isVerdict, resultOfError } from './check-errors';
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

/** A check's result, and the error it threw when that is what the result stands for. */
interface Settled {
  result: CheckResult<unknown>;
  thrown?: unknown;
}

/**
 * Runs the checks at once (they are independent by contract), reports one table in the log, and fails the
 * step when any check fails. With one failure the step ends as the guard it came from always ended it: with
 * the check's own message, word for word, or, when the check did not get to an answer (a throttled read, a
 * refused call), with the error it met, so the step's report of it is today's. With several, each is listed.
 */
export async function runPreflight(checks: PreflightCheck<unknown>[], options: PreflightOptions): Promise<PreflightReport> {
  const mode = options.mode ?? 'fail';
  const settled = await Promise.all(checks.map((check) => (skipped(check, mode) ? undefined : settle(check, options.log))));
  const rows = checks.map((check, i) => rowOf(check, settled[i]?.result, mode));
  if (rows.length === 0) return { rows, markdown: '', valueOf: () => undefined };
  options.log.info(preflightText(rows));
  for (const row of rows) if (row.status === 'warn') options.log.warning(`${row.title}: ${row.message}`);

  const failed = rows.flatMap((row, i) => (row.status === 'fail' ? [{ row, thrown: settled[i]?.thrown }] : []));
  if (failed.length === 1) {
    const [{ row, thrown }] = failed;
    if (thrown !== undefined && !isVerdict(thrown)) throw thrown;
    throw new ConfigurationError(row.message, row.input);
  }
  if (failed.length > 1) throw new ConfigurationError(`${failed.length} pre-flight checks failed:\n${failed.map(({ row }) => `- ${row.message}`).join('\n')}`);

  const values = new Map(checks.map((check, i) => [check, settled[i]?.result.value]));
  return { rows, markdown: preflightMarkdown(rows), valueOf: <T>(check: PreflightCheck<T>) => values.get(check) as T | undefined };
}

function skipped(check: PreflightCheck<unknown>, mode: PreflightMode): boolean {
  return mode === 'off' && !check.protects;
}

async function settle(check: PreflightCheck<unknown>, log: Logger): Promise<Settled> {
  try {
    return { result: await check.run() };
  } catch (error) {
    if (!isVerdict(error) && error instanceof Error && error.stack) log.debug(`pre-flight check ${check.id} threw: ${error.stack}`);
    return { result: resultOfError(check, error), thrown: error };
  }
}

/** Applies the mode: only a check that does not protect is weakened from fail to warn. */
function rowOf(check: PreflightCheck<unknown>, result: CheckResult<unknown> | undefined, mode: PreflightMode): PreflightRow {
  const base = { id: check.id, title: check.title };
  if (!result) return { ...base, status: 'skip', message: 'not run: pre-flight checks are off' };
  const weakened = result.status === 'fail' && mode === 'warn' && !check.protects;
  return { ...base, status: weakened ? 'warn' : result.status, message: resultMessage(result), input: result.input };
}
