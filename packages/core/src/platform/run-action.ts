import * as core from '@actions/core';
import { ActionFailure, ConfigurationError, errorMessage, isAccessDenied } from '../common/errors';

/**
 * The one place where an error becomes a failed step. Every action's entry point goes through here so that
 * users see the same shape of message whatever went wrong.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    core.setFailed(describeFailure(error));
  }
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
  const detail = error instanceof Error && error.stack ? `\n${error.stack}` : '';
  core.debug(`unexpected error${detail}`);
  return `${name === 'Error' ? '' : `${name}: `}${message}`;
}
