/**
 * A mistake in what the user asked for: a missing or malformed input, a container that does not exist.
 * It is reported without a stack trace because the fix is in the workflow file, not in this code.
 */
export class ConfigurationError extends Error {
  readonly input?: string;
  /** The line of a file of the repository the mistake is on (a task definition, an AppSpec): the annotation points there. */
  readonly location?: FileLocation;

  constructor(message: string, input?: string, location?: FileLocation) {
    super(message);
    this.name = 'ConfigurationError';
    this.input = input;
    this.location = location;
  }
}

/**
 * A line of a file in the workspace, as GitHub's annotations take it (`::error file=...,line=N,title=...::`): the
 * pull request's "Files changed" view and the run's annotations then show the message on that line.
 */
export interface FileLocation {
  /** The path as the input gave it, relative to the workspace. */
  file: string;
  /** 1-based. */
  line: number;
  /** The annotation's title: what was checked. */
  title?: string;
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
