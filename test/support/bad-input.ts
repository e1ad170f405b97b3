import { expect } from '@jest/globals';
import type { ApiCall } from '@ecs-deploy/sandbox';
import { isMutating, type BadInput } from '../e2e/bad-input/case';
import { errorsOf, type ActionRun } from './run-action';

/** The operations in `calls` that would change something in AWS, as "ecs:UpdateService". */
export const mutatingCalls = (calls: ApiCall[]): string[] =>
  calls.filter((call) => isMutating(call.operation)).map((call) => `${call.service}:${call.operation}`);

/**
 * A bad-input row's run: the step failed with exactly the row's error, which names the input, and the calls it made
 * (`calls`, this run's slice of the sandbox's call log) changed nothing.
 */
export function expectRefused(run: ActionRun, row: BadInput, calls: ApiCall[]): void {
  expect(run.exitCode).toBe(1);
  const errors = errorsOf(run);
  expect(errors).toEqual([expect.stringMatching(row.error)]);
  expect(errors[0]).toContain(`'${row.input}'`);
  expect(mutatingCalls(calls)).toEqual([]);
}
