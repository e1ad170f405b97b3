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
