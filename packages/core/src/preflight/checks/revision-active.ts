import type { ECSClient } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import { ConfigurationError, errorMessage } from '../../common/errors';
import { describeTaskDefinition, type DescribedDefinition } from '../../task-definition/register';
import type { PreflightCheck } from '../check';

/** What auto-rollback tells a user about a revision it cannot return to. */
export const ROLLBACK_REVISION_ADVICE = {
  missing: "Give a registered revision, normally deploy-ecs's previous-task-definition-arn output. Nothing was changed.",
  inactive: 'Register it again (it gets a new revision number) and roll back to that. Nothing was changed.',
} as const;

export interface RevisionActiveOptions {
  ecs: ECSClient;
  /** `family`, `family:revision` or an ARN, as the user gave it. */
  reference: string;
  region: string;
  /** The input that named it; `task-definition` by default. */
  input?: string;
  /** False when only existence matters (a revision used only as the base of a new one). */
  requireActive?: boolean;
  /** What ECS will not do with a revision that is not ACTIVE; by default, update a service to it. */
  inactiveRefusal?: string;
  /** Sentences after the finding, per action: what to do instead. */
  advice?: { missing?: string; inactive?: string };
}

/**
 * The revision named by an input exists and, by default, is ACTIVE: ECS refuses to update a service to an
 * INACTIVE revision, and finding that out after a rollback started would leave the bad release running. It
 * protects. Its value is the described revision with its tags.
 */
export function revisionActiveCheck(options: RevisionActiveOptions): PreflightCheck<DescribedDefinition> {
  const input = options.input ?? 'task-definition';
  const requireActive = options.requireActive ?? true;
  return {
    id: requireActive ? 'revision-active' : 'revision-exists',
    title: requireActive ? 'Revision exists and is ACTIVE' : 'Revision exists',
    protects: true,
    permissions: ['ecs:DescribeTaskDefinition'],
    run: async () => {
      const described = await describeRevision(options, input);
      const status = described.definition.status;
      const name = shortTaskDefinition(described.definition.taskDefinitionArn ?? options.reference);
      if (requireActive && status && status !== 'ACTIVE') {
        return {
          status: 'fail',
          detail: withAdvice(
            `Input '${input}': ${options.reference} is ${status}, and ${options.inactiveRefusal ?? 'ECS does not update a service to a revision that is not ACTIVE'}.`,
            options.advice?.inactive,
          ),
          input,
          value: described,
        };
      }
      return { status: 'pass', detail: `${name} is ${status ?? 'registered'}`, value: described };
    },
  };
}

/** ECS answers ClientException (or InvalidParameterException) for a revision that does not exist. */
async function describeRevision(options: RevisionActiveOptions, input: string): Promise<DescribedDefinition> {
  try {
    return await describeTaskDefinition(options.ecs, options.reference);
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'ClientException' && name !== 'InvalidParameterException') throw error;
    throw new ConfigurationError(
      withAdvice(
        `Input '${input}': there is no task definition "${options.reference}" in ${options.region} (${errorMessage(error)}).`,
        options.advice?.missing,
      ),
      input,
    );
  }
}

function withAdvice(finding: string, advice: string | undefined): string {
  return advice ? `${finding} ${advice}` : finding;
}
