import type { ContainerDefinition, ECSClient, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { ActionFailure, type RetryContext } from '../../common';
import {
  ensureRegistered,
  keptTagsNote,
  renderTaskDefinition,
  revisionTags,
  selectContainer,
  stripTaskDefinition,
  type DescribedDefinition,
  type LoadedDefinition,
  type RegistrableDefinition,
} from '../../task-definition';
import type { MigrationRequest } from './request';

/** The definition the migration runs, before it is registered, and the container it runs in. */
export interface PlannedDefinition extends SourceDefinition {
  rendered: RegistrableDefinition;
  container: ContainerDefinition;
  /** A file or a new image needs a revision of its own: RunTask cannot override images. */
  needsRegistration: boolean;
}

export interface SourceDefinition {
  base: LoadedDefinition;
  /** The registered revision it came from; undefined for a file. */
  described?: TaskDefinition;
}

/** A registered revision as the base to render: its registrable fields and its tags. */
export function sourceOfRevision(described: DescribedDefinition): SourceDefinition {
  return { base: { definition: stripTaskDefinition(described.definition), tags: described.tags }, described: described.definition };
}

/** Sets the image on the chosen container; checks the container name before anything in AWS changes. */
export function planDefinition(source: SourceDefinition, inputs: MigrationRequest): PlannedDefinition {
  const rendered = renderTaskDefinition(source.base.definition, { container: inputs.container, image: inputs.image });
  const container = selectContainer(rendered, inputs.container);
  return { ...source, rendered, container, needsRegistration: source.described === undefined || inputs.image !== undefined };
}

/** The revision to run: the described one as it is, or an identical existing revision, or a new one. */
export async function revisionToRun(
  ecs: ECSClient,
  plan: PlannedDefinition,
  tags: { run: Tag[]; given: Tag[] },
  retry?: RetryContext,
): Promise<{ arn: string; message: string; keptTags?: string }> {
  if (!plan.needsRegistration && plan.described?.taskDefinitionArn)
    return { arn: plan.described.taskDefinitionArn, message: 'as registered' };
  // A revision registered for the migration carries its base's tags, this run's (repository, commit, run) and the tags input.
  const wanted = revisionTags(plan.base.tags, tags.run, tags.given);
  let registration;
  try {
    registration = await ensureRegistered(ecs, plan.rendered, wanted, plan.described, retry);
  } catch (error) {
    if (/ClientException|InvalidParameterException/.test((error as Error).name)) {
      throw new ActionFailure(
        `ECS refused to register the task definition for the migration (${(error as Error).name}): ${(error as Error).message} Nothing was started.`,
      );
    }
    throw error;
  }
  const message =
    registration.kind === 'registered'
      ? 'registered for this image'
      : registration.kind === 'reused'
        ? 'an identical revision, reused'
        : 'unchanged: it already has this image';
  const kept = registration.kind === 'registered' ? undefined : registration.kind === 'reused' ? registration.tags : plan.base.tags;
  return { arn: registration.arn, message, ...(kept ? { keptTags: keptTagsNote(kept, wanted) } : {}) };
}
