import type { FileLocation } from '../common/errors';

/** A check's verdict: `pass` changes nothing, `warn` is reported and the step goes on, `fail` stops the step. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult<T = undefined> {
  status: CheckStatus;
  /** What was found, in a sentence. For a fail, the message the step fails with (with `fix`, when given). */
  detail: string;
  /** What the user can do about it, when the detail does not already say. */
  fix?: string;
  /** The action input the result concerns, so a person knows which line of the workflow to change. */
  input?: string;
  /** The line of a file in the workspace the result is about (a task definition's key): the annotation points there. */
  location?: FileLocation;
  /** What the check looked up and the use case needs afterwards (the service, the revision), so nothing is read twice. */
  value?: T;
}

/**
 * One question answered before the first mutating call. Checks of one list are independent of each other:
 * whatever a check needs is given to its factory or looked up by the check itself, so the runner may run
 * them all at once. A check that needs another's value is built in a later stage (PreflightOptions.then).
 */
export interface PreflightCheck<T = unknown> {
  /** Stable, kebab-case: the name a later `preflight` input or a test refers to. */
  id: string;
  /** A few words for the table. */
  title: string;
  /**
   * True for a check that protects against damage (a concurrent migration, a revision ECS cannot deploy, a
   * controller this suite cannot watch): it fails the step whatever the mode, and a look-up it may not make
   * fails it too, since going on unchecked is the damage it exists to prevent.
   */
  protects: boolean;
  /**
   * True for a check whose value the use case goes on with (the loaded file, a one-off task's placement): it runs
   * and fails the step whatever the mode, and a look-up it may not make fails it too, since without its value
   * there is nothing to go on with.
   */
  needed?: boolean;
  /** The IAM actions the check calls, named in the warning when AWS denies one and its message names none. */
  permissions?: string[];
  run(): Promise<CheckResult<T>>;
}

/**
 * `fail`: a failing check stops the step (the default). `warn`: a failing check that does not protect is
 * reported as a warning. `off`: checks that do not protect are not run. Protecting and needed checks ignore the mode.
 */
export type PreflightMode = 'fail' | 'warn' | 'off';

/** Whether the mode leaves the check alone: it protects against damage, or its value is needed. */
export function unconditional(check: Pick<PreflightCheck, 'protects' | 'needed'>): boolean {
  return check.protects || check.needed === true;
}

/** The message a failed result stands for: its detail, then its fix. */
export function resultMessage(result: Pick<CheckResult, 'detail' | 'fix'>): string {
  return result.fix ? `${result.detail} ${result.fix}` : result.detail;
}
