import type { Tag } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import { GITHUB_RUN_TAG_KEYS } from '../common/github-run-tags';
import type { Inputs } from '../common/inputs';

/**
 * Tag, ECS API reference: at most 50 tags a resource, a key of 1 to 128 characters, a value of up to 256, letters,
 * numbers and spaces representable in UTF-8 and + - = . _ : / @; `aws:` in any case begins only AWS's own keys.
 */
export const ECS_TAG_LIMITS = { tags: 50, key: 128, value: 256 } as const;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ALLOWED = 'letters, numbers, spaces and + - = . _ : / @';
const reservedByAws = (text: string) => /^aws:/i.test(text);
/** Keys the suite sets on every revision it registers: a tags line may not set them. */
const SUITE_KEYS: readonly string[] = Object.values(GITHUB_RUN_TAG_KEYS);

/** What is wrong with one part of a tag, or undefined. */
function tagTextProblem(part: 'key' | 'value', text: string): string | undefined {
  const max = part === 'key' ? ECS_TAG_LIMITS.key : ECS_TAG_LIMITS.value;
  if (part === 'key' && text === '') return 'the key is empty';
  if ([...text].length > max) return `the ${part} is ${[...text].length} characters long, and ECS takes at most ${max}`;
  const bad = [...text].find((character) => !TAG_TEXT.test(character));
  if (bad !== undefined) return `the ${part} holds "${bad}", which ECS does not take in a tag (${ALLOWED})`;
  if (part === 'key' && reservedByAws(text)) return `the key starts with "${text.slice(0, 4)}", which AWS reserves for its own tags`;
  return undefined;
}

/**
 * The `tags` input: KEY=VALUE lines (split at the first =; a value may be empty), each checked as ECS checks a tag,
 * a key given once, none of the keys the step sets itself, and no more than ECS's 50 with those. Refused naming the
 * line, before any AWS call.
 */
export function tagsInput(inputs: Inputs, name = 'tags'): Tag[] {
  const tags: Tag[] = [];
  const lines = new Map<string, number>();
  for (const { text, line } of inputs.numberedLines(name)) {
    const separator = text.indexOf('=');
    if (separator < 0) {
      throw new ConfigurationError(`Input '${name}' line ${line} must be KEY=VALUE; got "${text.slice(0, 40)}", which has no =.`, name);
    }
    const key = text.slice(0, separator).trim();
    const value = text.slice(separator + 1).trim();
    const problem = tagTextProblem('key', key) ?? tagTextProblem('value', value);
    if (problem) throw new ConfigurationError(`Input '${name}' line ${line} (${key || text.slice(0, 40)}): ${problem}.`, name);
    if (SUITE_KEYS.includes(key)) {
      throw new ConfigurationError(
        `Input '${name}' line ${line} sets ${key}, which the step sets itself (from the workflow run: ${SUITE_KEYS.join(', ')}). Use another key.`,
        name,
      );
    }
    const earlier = lines.get(key);
    if (earlier !== undefined) {
      throw new ConfigurationError(
        `Input '${name}' line ${line} sets ${key} again (line ${earlier}): ECS keeps one value a key. Give it once.`,
        name,
      );
    }
    lines.set(key, line);
    tags.push({ key, value });
  }
  const room = ECS_TAG_LIMITS.tags - SUITE_KEYS.length;
  if (tags.length > room) {
    throw new ConfigurationError(
      `Input '${name}' has ${tags.length} tags; with the ${SUITE_KEYS.length} the step sets itself that is more than the ${ECS_TAG_LIMITS.tags} ECS takes on a resource. Give at most ${room}.`,
      name,
    );
  }
  return tags;
}

/**
 * The tags a revision is registered with: those of its base (the file's, or the service's revision's), with the
 * workflow run's replacing the base's (they said which commit registered the base), then the input's. AWS's own
 * (aws:..., e.g. CloudFormation's) are left out: only AWS sets those, and ECS refuses them in a request.
 */
export function revisionTags(base: Tag[], run: Tag[], given: Tag[]): Tag[] {
  const merged = new Map<string, Tag>();
  // The base's run tags name the run that registered it, all of them: none is kept beside this run's.
  const kept = base.filter((tag) => tag.key === undefined || !SUITE_KEYS.includes(tag.key));
  for (const tag of [...kept, ...run, ...given]) {
    if (tag.key === undefined || reservedByAws(tag.key)) continue;
    merged.set(tag.key, { key: tag.key, value: tag.value ?? '' });
  }
  const tags = [...merged.values()];
  if (tags.length > ECS_TAG_LIMITS.tags) {
    const fromBase = tags.length - run.length - given.length;
    throw new ConfigurationError(
      `The new revision would carry ${tags.length} tags (${fromBase} kept from its base revision or file, ${run.length} of this workflow run, ${given.length} of input 'tags'), and ECS takes at most ${ECS_TAG_LIMITS.tags}. Remove some from 'tags' or from the task definition. Nothing was registered.`,
      'tags',
    );
  }
  return tags;
}

/**
 * Said when an identical revision is reused rather than registered: it keeps the tags it was registered with, so its
 * github:commit is an earlier run's. A revision is never registered only to change its tags.
 */
export function keptTagsNote(kept: Tag[] | undefined, wanted: Tag[]): string {
  const commitOf = (tags: Tag[] | undefined) => tags?.find((tag) => tag.key === GITHUB_RUN_TAG_KEYS.commit)?.value;
  const keptCommit = commitOf(kept);
  const wantedCommit = commitOf(wanted);
  const keeps = keptCommit
    ? `It keeps the tags it was registered with, of commit ${keptCommit}`
    : kept
      ? `It keeps the tags it was registered with (no ${GITHUB_RUN_TAG_KEYS.commit}: registered outside this suite or before it tagged)`
      : 'It keeps the tags it was registered with';
  const not = wantedCommit && wantedCommit !== keptCommit ? `, not this run's (${wantedCommit})` : '';
  return `${keeps}${not}: a revision is never registered only to change its tags.`;
}
