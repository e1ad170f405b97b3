/**
 * A mistake in what the user asked for: a missing or malformed input, a container that does not exist.
 * It is reported without a stack trace because the fix is in the workflow file, not in this code.
 */
export class ConfigurationError extends Error {
  readonly input?: string;

  constructor(message: string, input?: string) {
    super(message);
    this.name = 'ConfigurationError';
    this.input = input;
  }
}

/**
 * The job failed for a reason that has already been explained in the log (a failed rollout, a crashed
 * migration). Its message is the one-line verdict the step fails with.
 */
export class ActionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** AWS refused the call for want of a permission (IAM's, or an SCP's). */
export function isAccessDenied(error: unknown): boolean {
  const name = error instanceof Error ? error.name : 'Error';
  return /AccessDenied|UnauthorizedOperation|not authorized/i.test(`${name} ${errorMessage(error)}`);
}
