import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { retryingThrottlesOnly } from '../common/aws';
import { retryTransient, type RetryContext } from '../common/retry';
import { sameTaskDefinition } from './compare';
import type { RegistrableDefinition } from './strip';

export interface DescribedDefinition {
  definition: TaskDefinition;
  tags: Tag[];
}

/** `family`, `family:revision` or an ARN; a bare family means its newest ACTIVE revision. */
export async function describeTaskDefinition(ecs: ECSClient, reference: string): Promise<DescribedDefinition> {
  const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
  if (!answer.taskDefinition) throw new Error(`DescribeTaskDefinition returned no task definition for ${reference}.`);
  return { definition: answer.taskDefinition, tags: answer.tags ?? [] };
}

export async function newestRevision(ecs: ECSClient, family: string): Promise<TaskDefinition | undefined> {
  return (await newestDescribed(ecs, family))?.definition;
}

/** The family's newest ACTIVE revision with its tags, or undefined when the family has none. */
async function newestDescribed(ecs: ECSClient, family: string): Promise<DescribedDefinition | undefined> {
  try {
    return await describeTaskDefinition(ecs, family);
  } catch (error) {
    if ((error as Error).name === 'ClientException' || (error as Error).name === 'InvalidParameterException') return undefined;
    throw error;
  }
}

/** `reused` carries the tags the reused revision keeps (it is not registered again to change them). */
export type Registration =
  { kind: 'unchanged'; arn: string } | { kind: 'reused'; arn: string; tags: Tag[] } | { kind: 'registered'; arn: string };

/** Attempts at RegisterTaskDefinition in all when it fails transiently; the first retry comes about 2 s later. */
export const REGISTER_ATTEMPTS = 4;
const REGISTER_RETRY_BASE_MS = 2_000;

/**
 * Registers `rendered` unless an identical revision exists: the live one, or the newest of the family
 * (a re-run after a failed deploy, or a migration step that already registered it). Revisions are never
 * created for nothing, so a family's history stays a list of real changes.
 *
 * With `retry`, a RegisterTaskDefinition that fails transiently is tried again (each retry logged), but only after
 * looking for an identical revision once more: the failed attempt may have registered it (its answer lost), and a
 * second call would add a duplicate revision.
 */
export async function ensureRegistered(
  ecs: ECSClient,
  rendered: RegistrableDefinition,
  tags: Tag[],
  live: TaskDefinition | undefined,
  retry?: RetryContext,
): Promise<Registration> {
  if (live?.taskDefinitionArn && live.family === rendered.family && sameTaskDefinition(live as RegistrableDefinition, rendered)) {
    return { kind: 'unchanged', arn: live.taskDefinitionArn };
  }
  // Tags are no part of the comparison: a revision identical but for its tags is reused as it is.
  const newest = rendered.family ? await newestDescribed(ecs, rendered.family) : undefined;
  if (newest?.definition.taskDefinitionArn && sameTaskDefinition(newest.definition as RegistrableDefinition, rendered)) {
    return { kind: 'reused', arn: newest.definition.taskDefinitionArn, tags: newest.tags };
  }
  const register = async (attempt: number): Promise<Registration> => {
    if (attempt > 1 && rendered.family) {
      const meanwhile = await newestRevision(ecs, rendered.family);
      if (meanwhile?.taskDefinitionArn && sameTaskDefinition(meanwhile as RegistrableDefinition, rendered)) {
        retry?.log.info(`RegisterTaskDefinition had taken effect: ${meanwhile.taskDefinitionArn} is identical.`);
        return { kind: 'registered', arn: meanwhile.taskDefinitionArn };
      }
    }
    const command = new RegisterTaskDefinitionCommand({ ...rendered, tags: tags.length ? tags : undefined });
    // Retried here (after the look above), the SDK must not send it again blindly after an answer it lost.
    const answer = await ecs.send(retry ? retryingThrottlesOnly(command, { signal: retry.signal }) : command);
    const arn = answer.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new Error('RegisterTaskDefinition returned no task definition ARN.');
    return { kind: 'registered', arn };
  };
  if (!retry) return register(1);
  return retryTransient(register, {
    attempts: REGISTER_ATTEMPTS,
    baseDelayMs: REGISTER_RETRY_BASE_MS,
    label: `RegisterTaskDefinition of ${rendered.family ?? 'the task definition'}`,
    ...retry,
  });
}
