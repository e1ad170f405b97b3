import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
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
  try {
    return (await describeTaskDefinition(ecs, family)).definition;
  } catch (error) {
    if ((error as Error).name === 'ClientException' || (error as Error).name === 'InvalidParameterException') return undefined;
    throw error;
  }
}

export type Registration = { kind: 'unchanged'; arn: string } | { kind: 'reused'; arn: string } | { kind: 'registered'; arn: string };

/**
 * Registers `rendered` unless an identical revision exists: the live one, or the newest of the family
 * (a re-run after a failed deploy, or a migration step that already registered it). Revisions are never
 * created for nothing, so a family's history stays a list of real changes.
 */
export async function ensureRegistered(
  ecs: ECSClient,
  rendered: RegistrableDefinition,
  tags: Tag[],
  live: TaskDefinition | undefined,
): Promise<Registration> {
  if (live?.taskDefinitionArn && live.family === rendered.family && sameTaskDefinition(live as RegistrableDefinition, rendered)) {
    return { kind: 'unchanged', arn: live.taskDefinitionArn };
  }
  const newest = rendered.family ? await newestRevision(ecs, rendered.family) : undefined;
  if (newest?.taskDefinitionArn && sameTaskDefinition(newest as RegistrableDefinition, rendered)) {
    return { kind: 'reused', arn: newest.taskDefinitionArn };
  }
  const answer = await ecs.send(new RegisterTaskDefinitionCommand({ ...rendered, tags: tags.length ? tags : undefined }));
  const arn = answer.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error('RegisterTaskDefinition returned no task definition ARN.');
  return { kind: 'registered', arn };
}
