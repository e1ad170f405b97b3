import type { Context } from '../context';
import { invalidParameter } from './errors';
import { asArray } from './resolve';
import type { Tag } from './state';

export function tagsOf(ctx: Context, arn: string): Tag[] {
  return ctx.ecs.tags.get(arn) ?? [];
}

export function setTags(ctx: Context, arn: string, tags: unknown): void {
  const list = asArray<Tag>(tags);
  if (list.length === 0) return;
  for (const tag of list) {
    if (typeof tag?.key !== 'string' || tag.key === '') throw invalidParameter('Tag keys must be non-empty strings.');
  }
  const merged = new Map(tagsOf(ctx, arn).map((t) => [t.key, t]));
  for (const tag of list) merged.set(tag.key, { key: tag.key, value: tag.value ?? '' });
  ctx.ecs.tags.set(arn, [...merged.values()]);
}

/**
 * The tags a service's task gets when it is launched: the service's or its task definition's as propagateTags says,
 * then, with enableECSManagedTags, the managed tags aws:ecs:clusterName and aws:ecs:serviceName (developer guide,
 * "Tagging your Amazon ECS resources"). Taken at launch only: "Only tasks launched after the update will reflect the
 * update" (UpdateService, propagateTags and enableECSManagedTags).
 */
export function launchTags(
  ctx: Context,
  service: { arn: string; name: string; cluster: string; propagateTags: string; enableECSManagedTags: boolean },
  taskDefinitionArn: string,
): Tag[] {
  const propagated =
    service.propagateTags === 'SERVICE'
      ? tagsOf(ctx, service.arn)
      : service.propagateTags === 'TASK_DEFINITION'
        ? tagsOf(ctx, taskDefinitionArn)
        : [];
  const managed = service.enableECSManagedTags
    ? [
        { key: 'aws:ecs:clusterName', value: service.cluster },
        { key: 'aws:ecs:serviceName', value: service.name },
      ]
    : [];
  return [...propagated, ...managed];
}

function knownResource(ctx: Context, arn: string): boolean {
  if (ctx.ecs.tags.has(arn)) return true;
  if ([...ctx.ecs.clusters.values()].some((c) => c.arn === arn)) return true;
  if (ctx.ecs.services.some((s) => s.arn === arn)) return true;
  if (ctx.ecs.tasks.has(arn)) return true;
  return [...ctx.ecs.taskDefinitions.values()].some((revisions) => revisions.some((r) => r.arn === arn));
}

function requireResource(ctx: Context, arn: unknown): string {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw invalidParameter('The ARN provided is invalid.');
  if (!knownResource(ctx, arn)) throw invalidParameter('The specified resource could not be found.');
  return arn;
}

export const tagOperations = {
  TagResource(ctx: Context, input: Record<string, unknown>) {
    setTags(ctx, requireResource(ctx, input.resourceArn), input.tags);
    return {};
  },
  UntagResource(ctx: Context, input: Record<string, unknown>) {
    const arn = requireResource(ctx, input.resourceArn);
    const remove = new Set(asArray<string>(input.tagKeys));
    ctx.ecs.tags.set(
      arn,
      tagsOf(ctx, arn).filter((t) => !remove.has(t.key)),
    );
    return {};
  },
  ListTagsForResource(ctx: Context, input: Record<string, unknown>) {
    return { tags: tagsOf(ctx, requireResource(ctx, input.resourceArn)) };
  },
};
