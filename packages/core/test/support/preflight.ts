import { expect } from '@jest/globals';
import { ConfigurationError } from '../../src/common/errors';
import { silentLogger } from '../../src/common/logger';
import type { PreflightCheck } from '../../src/preflight/check';
import { runPreflight, type PreflightReport } from '../../src/preflight/run';

/** Runs one check as a use case would, through the runner. */
export async function preflightOf<T>(check: PreflightCheck<T>): Promise<PreflightReport> {
  return runPreflight([check], { log: silentLogger() });
}

/** The error the step would fail with when this check is the only one and fails. */
export async function preflightFailure(check: PreflightCheck<unknown>): Promise<ConfigurationError> {
  const error = await runPreflight([check], { log: silentLogger() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}
