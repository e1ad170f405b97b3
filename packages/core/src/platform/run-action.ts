import * as core from '@actions/core';
import { ActionFailure, ConfigurationError, errorMessage, isAccessDenied } from '../common/errors';
import { proxyCredentials, proxyVariableProblem } from '../common/proxy';
import { describeUnreachable, unreachableEndpoint } from '../common/unreachable';
import { annotationProperties } from './actions-logger';
import { wasCancelled } from './cancellation';
import { maskSecret } from './masking';

/**
 * The one place where an error becomes a failed step. Every action's entry point goes through here so that
 * users see the same shape of message whatever went wrong.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  // A proxy URL's user:password must never reach the log, whatever prints it (an error, a library's debug line).
  for (const secret of proxyCredentials()) maskSecret(secret);
  try {
    const proxyProblem = proxyVariableProblem();
    if (proxyProblem) throw new ConfigurationError(proxyProblem);
    await main();
  } catch (error) {
    const location = error instanceof ConfigurationError ? error.location : undefined;
    if (location) {
      // setFailed's annotation names no file: this one is on the line of the file the mistake is in.
      process.exitCode = core.ExitCode.Failure;
      core.error(describeFailure(error), annotationProperties(location));
    } else core.setFailed(describeFailure(error));
  }
  // A cancelled step has said what it leaves and written its summary: what it could not interrupt (a build
  // tool's process, a request in flight, a timer) must not hold it past that. The runner stops the rest. The exit
  // code is setFailed's (1) when the use case ended on the cancellation.
  if (wasCancelled()) process.exit();
}

export function describeFailure(error: unknown): string {
  if (error instanceof ConfigurationError || error instanceof ActionFailure) return error.message;
  const name = error instanceof Error ? error.name : 'Error';
  const message = errorMessage(error);
  if (isAccessDenied(error)) {
    return `AWS refused the call (${name}): ${message}. Grant the permissions listed in the README to the role this job assumes.`;
  }
  if (
    /ExpiredToken|InvalidClientTokenId|UnrecognizedClientException|CredentialsProviderError|Could not load credentials/i.test(
      `${name} ${message}`,
    )
  ) {
    return `AWS credentials are missing or invalid (${name}): ${message}. Configure them before this step, for example with aws-actions/configure-aws-credentials.`;
  }
  const unreachable = unreachableEndpoint(error);
  if (unreachable) return describeUnreachable(unreachable);
  const detail = error instanceof Error && error.stack ? `\n${error.stack}` : '';
  core.debug(`unexpected error${detail}`);
  return `${name === 'Error' ? '' : `${name}: `}${message}`;
}
