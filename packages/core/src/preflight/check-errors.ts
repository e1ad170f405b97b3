import { ActionFailure, ConfigurationError, errorMessage, isAccessDenied } from '../common/errors';
import { describeUnreachable, unreachableEndpoint } from '../common/unreachable';
import type { CheckResult, PreflightCheck } from './check';

/** The IAM action an AWS refusal names: "… is not authorized to perform: ecs:DescribeServices on resource …". */
export function deniedAction(error: unknown): string | undefined {
  return /perform:\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(errorMessage(error))?.[1];
}

/** A guard's own refusal: its message is the verdict the step ends with. */
export function isVerdict(error: unknown): error is ConfigurationError | ActionFailure {
  return error instanceof ConfigurationError || error instanceof ActionFailure;
}

/**
 * What a check that threw has found. A guard's own refusal (a ConfigurationError or ActionFailure) is its
 * verdict, word for word. A look-up the role may not make is a warning naming the permission, unless the check
 * protects against damage (then going on unchecked is the damage) or the step needs its value: then it fails. Anything else is a failure that
 * names the check, since its question stays unanswered.
 */
export function resultOfError(check: PreflightCheck, error: unknown): CheckResult<never> {
  if (error instanceof ConfigurationError) return { status: 'fail', detail: error.message, input: error.input, location: error.location };
  if (error instanceof ActionFailure) return { status: 'fail', detail: error.message };
  const name = error instanceof Error ? error.name : 'Error';
  if (isAccessDenied(error)) {
    const permission = deniedAction(error) ?? check.permissions?.join(', ') ?? 'the permission this check needs';
    const why = `the role this job assumes may not call ${permission} (${name})`;
    if (check.protects) {
      return {
        status: 'fail',
        detail: `Pre-flight check "${check.title}" could not look up what it guards: ${why}. Nothing was changed.`,
        fix: `Grant ${permission}: this check protects against damage and is never skipped.`,
      };
    }
    if (check.needed) {
      return {
        status: 'fail',
        detail: `Pre-flight check "${check.title}" could not look up what the step goes on with: ${why}. Nothing was changed.`,
        fix: `Grant ${permission}.`,
      };
    }
    return { status: 'warn', detail: `Not checked: ${why}.`, fix: `Grant ${permission} to have it checked.` };
  }
  const unreachable = unreachableEndpoint(error);
  if (unreachable)
    return { status: 'fail', detail: `Pre-flight check "${check.title}" could not run. ${describeUnreachable(unreachable)}` };
  return {
    status: 'fail',
    detail: `Pre-flight check "${check.title}" (${check.id}) could not run: ${name === 'Error' ? '' : `${name}: `}${errorMessage(error)}`,
  };
}
