import { describeFieldProblem } from '../../task-definition/fields';
import type { LoadedDefinition } from '../../task-definition/load';
import type { PreflightCheck } from '../check';

export interface FileFieldsOptions {
  path: string;
  /** The file as loaded: its definition without the keys RegisterTaskDefinition does not take, and those keys. */
  loaded: LoadedDefinition;
  /** The input that named the file; `task-definition` by default. */
  input?: string;
  /** This step's inputs that set a service setting (desiredCount: 'desired-count'), named where the key belongs. */
  settingInputs?: Readonly<Record<string, string>>;
}

/**
 * Every key of the file is one RegisterTaskDefinition takes, as the bundled SDK's model says, nested ones too.
 * The SDK drops any other key without a word, so a capitalised `Cpu` or a service's `enableExecuteCommand` would
 * look applied and never be. No AWS call. Under `warn` the step goes on without those keys, as AWS would get it.
 */
export function fileFieldsCheck(options: FileFieldsOptions): PreflightCheck<undefined> {
  const input = options.input ?? 'task-definition';
  return {
    id: 'file-fields',
    title: 'Task definition fields are known',
    protects: false,
    run: async () => {
      const problems = options.loaded.fieldProblems ?? [];
      if (problems.length === 0) return { status: 'pass', detail: `every field of "${options.path}" is one RegisterTaskDefinition takes` };
      const count = problems.length === 1 ? 'a field' : `${problems.length} fields`;
      const first = problems.find((problem) => problem.line !== undefined);
      return {
        status: 'fail',
        input,
        // The annotation points at the first offending key; the message names them all.
        location:
          first?.line === undefined ? undefined : { file: options.path, line: first.line, title: 'Task definition fields are known' },
        detail:
          `Input '${input}': the file "${options.path}" has ${count} RegisterTaskDefinition does not take, which would be dropped without a word: ` +
          `${problems.map((problem) => describeFieldProblem(problem, options.settingInputs)).join('; ')}.`,
        fix: "Correct the file (with 'preflight: warn' the step goes on without them). Nothing was changed.",
      };
    },
  };
}
