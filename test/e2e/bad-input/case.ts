/**
 * The bad-input matrix: one table per action (<action>.cases.ts), read by two runners. Rows the inputs parser
 * refuses run as unit tests of the action's inputs reader (test/unit/bad-input.test.ts, milliseconds each); rows
 * only AWS's answer can refuse, and a representative few of the others, run end to end in
 * test/e2e/<action>-bad-input.test.ts: the bundled action against a sandbox whose call log must show no mutating
 * call. Each row is one behaviour and names the input its error must name.
 */
export interface BadInput {
  /** The behaviour, as the test is named. */
  name: string;
  inputs: Record<string, string>;
  /** Variables the step runs with beside the sandbox's (AWS_REGION, AWS_ENDPOINT_URL...). */
  env?: Record<string, string>;
  /** The input the error names (its `.input`, and `'<input>'` or the variable in its message). */
  input: string;
  /** The one error the step fails with: what was wrong and what would be right. */
  error: RegExp;
  /**
   * `parser`: refused by the inputs reader (unit-tested; e2e too when `e2e`). `sandbox`: only a run shows it
   * (AWS's answer, a file in the workspace, a tool on the runner): e2e only.
   */
  refusedBy: 'parser' | 'sandbox';
  e2e?: boolean;
}

/** A value that is valid but may surprise: accepted, with a warning where it helps. */
export interface SurprisingInput {
  name: string;
  inputs: Record<string, string>;
  /** What the parser makes of it (a subset of the action's request). */
  parsed: Record<string, unknown>;
  /** The warning it earns, if any; none is asserted absent. */
  warning?: RegExp;
}

/** Read-only AWS operations; any other operation in a bad-input run's call log is a change the run must not make. */
export const isMutating = (operation: string): boolean => !/^(Describe|List|Get|BatchGet|BatchCheck|Simulate)/.test(operation);

/** The rows an e2e file runs. */
export const endToEnd = (rows: BadInput[]): BadInput[] => rows.filter((row) => row.refusedBy === 'sandbox' || row.e2e);

const literally = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A row whose `input` is given `value`, which is not true or false: the parser refuses it, naming both. */
export const notTrueOrFalse = (name: string, base: Record<string, string>, input: string, value: string, extra: Partial<BadInput> = {}) =>
  ({
    name,
    inputs: { ...base, [input]: value },
    input,
    error: new RegExp(`^Input '${input}' must be true or false; got "${literally(value)}"\\.$`),
    refusedBy: 'parser',
    ...extra,
  }) satisfies BadInput;

/** A row whose `input` is given `value`, which is not a whole number of at least `least`: the parser refuses it, naming both. */
export const notWholeNumberOfAtLeast = (
  name: string,
  base: Record<string, string>,
  input: string,
  least: number,
  value: string,
  extra: Partial<BadInput> = {},
) =>
  ({
    name,
    inputs: { ...base, [input]: value },
    input,
    error: new RegExp(`^Input '${input}' must be a whole number of at least ${least}; got "${literally(value)}"\\.$`),
    refusedBy: 'parser',
    ...extra,
  }) satisfies BadInput;
