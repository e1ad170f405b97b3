import { ConfigurationError } from '../common/errors';
import type { Logger } from '../common/logger';
import { resultMessage, unconditional, type CheckResult, type PreflightCheck, type PreflightMode } from './check';
import { isVerdict, resultOfError } from './check-errors';
import { preflightMarkdown, preflightText, type PreflightRow } from './table';

export interface PreflightOptions {
  log: Logger;
  /** Defaults to `fail`. */
  mode?: PreflightMode;
  /**
   * Checks that need what the ones before them looked up (a one-off task's subnets need its revision), each
   * stage built from the values found so far (undefined for a check that found none). A stage runs only when
   * no check before it failed; the one table has a row for every check that ran.
   */
  then?: DependentChecks[];
  /** Where the table goes when the checks stop the step: the step writes no other summary then. */
  writeSummary?(markdown: string): Promise<void>;
}

/** The checks of a later stage, built from the values earlier checks looked up. */
export type DependentChecks = (valueOf: PreflightReport['valueOf']) => PreflightCheck<unknown>[];

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
 * Runs the checks at once (they are independent by contract), then any dependent ones, reports one table in
 * the log, and fails the step when any check fails. With one failure the step ends as the guard it came from
 * always ended it: with the check's own message, word for word, or, when the check did not get to an answer
 * (a throttled read, a refused call), with the error it met, so the step's report of it is today's. With
 * several, each is listed. A guard that builds the dependent checks and refuses ends the step with its own
 * error, after the table of what was checked.
 */
export async function runPreflight(checks: PreflightCheck<unknown>[], options: PreflightOptions): Promise<PreflightReport> {
  const mode = options.mode ?? 'fail';
  const { ran, refusal } = await runStages(checks, options, mode);
  const rows = ran.map(({ check, settled }) => rowOf(check, settled?.result, mode));
  const markdown = rows.length ? preflightMarkdown(rows) : '';
  if (rows.length) options.log.info(preflightText(rows));
  for (const row of rows) if (row.status === 'warn') options.log.warning(`${row.title}: ${row.message}`, row.location);

  const failed = rows.flatMap((row, i) => (row.status === 'fail' ? [{ row, thrown: ran[i].settled?.thrown }] : []));
  if ((failed.length || refusal) && markdown) await options.writeSummary?.(markdown);
  if (refusal) throw refusal.error;
  if (failed.length === 1) {
    const [{ row, thrown }] = failed;
    if (thrown !== undefined && !isVerdict(thrown)) throw thrown;
    throw new ConfigurationError(row.message, row.input, row.location);
  }
  if (failed.length > 1)
    throw new ConfigurationError(
      `${failed.length} pre-flight checks failed:\n${failed.map(({ row }) => `- ${row.message}`).join('\n')}`,
      undefined,
      // One annotation for the step: on the first file line a failed check points at.
      failed.find(({ row }) => row.location)?.row.location,
    );

  const values = new Map(ran.map(({ check, settled }) => [check, settled?.result.value]));
  return { rows, markdown, valueOf: <T>(check: PreflightCheck<T>) => values.get(check) as T | undefined };
}

interface Ran {
  check: PreflightCheck<unknown>;
  /** Undefined when the mode left the check out. */
  settled?: Settled;
}

/** Each stage at once, the next built from the values found so far; a stage with a failing check is the last. */
async function runStages(
  checks: PreflightCheck<unknown>[],
  options: PreflightOptions,
  mode: PreflightMode,
): Promise<{ ran: Ran[]; refusal?: { error: unknown } }> {
  const ran: Ran[] = [];
  const valueOf = <T>(check: PreflightCheck<T>) => ran.find((entry) => entry.check === check)?.settled?.result.value as T | undefined;
  let stage = checks;
  for (const build of [...(options.then ?? []), undefined]) {
    const answers = await Promise.all(stage.map((check) => (skipped(check, mode) ? undefined : settle(check, options.log))));
    const entries = stage.map((check, i) => ({ check, settled: answers[i] }));
    ran.push(...entries);
    if (!build || entries.some(({ check, settled }) => rowOf(check, settled?.result, mode).status === 'fail')) break;
    try {
      stage = build(valueOf);
    } catch (error) {
      return { ran, refusal: { error } };
    }
  }
  return { ran };
}

function skipped(check: PreflightCheck<unknown>, mode: PreflightMode): boolean {
  return mode === 'off' && !unconditional(check);
}

async function settle(check: PreflightCheck<unknown>, log: Logger): Promise<Settled> {
  try {
    return { result: await check.run() };
  } catch (error) {
    if (!isVerdict(error) && error instanceof Error && error.stack) log.debug(`pre-flight check ${check.id} threw: ${error.stack}`);
    return { result: resultOfError(check, error), thrown: error };
  }
}

/** Applies the mode: only a check that neither protects nor is needed is weakened from fail to warn. */
function rowOf(check: PreflightCheck<unknown>, result: CheckResult<unknown> | undefined, mode: PreflightMode): PreflightRow {
  const base = { id: check.id, title: check.title };
  if (!result) return { ...base, status: 'skip', message: 'not run: pre-flight checks are off' };
  const weakened = result.status === 'fail' && mode === 'warn' && !unconditional(check);
  return {
    ...base,
    status: weakened ? 'warn' : result.status,
    message: resultMessage(result),
    input: result.input,
    location: result.location,
  };
}
