import type { Context } from '../context';
import { invalidParameter } from './errors';
import { asArray } from './resolve';
import type { Tag } from './state';

export function tagsOf(ctx: Context, arn: string): Tag[] {
  return ctx.ecs.tags.get(arn) ?? [];
}

/**
 * Tag, ECS API reference: at most 50 tags a resource (aws: ones, AWS's own, not counted), each key unique, a key of
 * 1 to 128 characters, a value of up to 256; ECS refuses a key beginning aws: in any case ("Tag key must not start
 * with aws:", as ECS answered it in amazon-ecs-agent issue 1704). Characters: letters, numbers and spaces
 * representable in UTF-8 and + - = . _ : / @ (the pattern the CloudFormation resource reference gives). The
 * wording of the other messages is the sandbox's own (unconfirmed).
 */
const TAG_LIMIT = 50;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const reserved = (key: string) => /^aws:/i.test(key);

/** Throws as ECS does for a tags list it refuses; `existing` are the resource's tags already (TagResource adds to them). */
export function checkTags(tags: unknown, existing: Tag[] = []): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw invalidParameter('tags must be a list of tags.');
  const list = tags as Tag[];
  const keys = new Set<string>();
  for (const tag of list) {
    if (typeof tag?.key !== 'string' || tag.key === '') throw invalidParameter('Tag keys must be non-empty strings.');
    const value = tag.value ?? '';
    if (typeof value !== 'string') throw invalidParameter(`The value of tag ${tag.key} must be a string.`);
    if ([...tag.key].length > 128) throw invalidParameter(`Tag key ${tag.key.slice(0, 20)}... is longer than 128 characters.`);
    if ([...value].length > 256) throw invalidParameter(`The value of tag ${tag.key} is longer than 256 characters.`);
    if (!TAG_TEXT.test(tag.key) || !TAG_TEXT.test(value))
      throw invalidParameter(`Tag ${tag.key} holds a character tags may not hold (letters, numbers, spaces and + - = . _ : / @).`);
    if (reserved(tag.key)) throw invalidParameter('Tag key must not start with aws:');
    if (keys.has(tag.key)) throw invalidParameter(`Duplicate tag key ${tag.key}.`);
    keys.add(tag.key);
  }
  const counted = new Set([...existing.map((tag) => tag.key), ...keys].filter((key) => !reserved(key)));
  if (counted.size > TAG_LIMIT)
    throw invalidParameter(`A resource can have at most ${TAG_LIMIT} tags; this would give it ${counted.size}.`);
  return list;
}

export function setTags(ctx: Context, arn: string, tags: unknown): void {
  const list = checkTags(tags, tagsOf(ctx, arn));
  if (list.length === 0) return;
  const merged = new Map(tagsOf(ctx, arn).map((t) => [t.key, t]));
  for (const tag of list) merged.set(tag.key, { key: tag.key, value: tag.value ?? '' });
  ctx.ecs.tags.set(arn, [...merged.values()]);
}

/**
 * Stores the tags ECS itself gives a task at launch. Not checkTags: the managed tags' aws: prefix is reserved for
 * ECS, refused from a caller but set by ECS.
 */
export function setLaunchTags(ctx: Context, taskArn: string, tags: Tag[]): void {
  if (tags.length > 0)
    ctx.ecs.tags.set(
      taskArn,
      tags.map((tag) => ({ key: tag.key, value: tag.value ?? '' })),
    );
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
