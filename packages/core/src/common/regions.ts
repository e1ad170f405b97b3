import { partition } from '@aws-sdk/core/client';

/**
 * What the SDK's own partition data (the endpoints ruleset's partitions, shipped with every client) says about a
 * region name, so the suite never keeps a list of its own: a region it knows, one it does not know but that may be
 * newer than this SDK, or a typo of a region it knows.
 */
export type RegionVerdict = { kind: 'known' } | { kind: 'maybe-newer' } | { kind: 'unknown'; suggestions: string[] };

// The partition data's pseudo-regions for global endpoints (aws-global, aws-cn-global...): no ECS there.
const PSEUDO_REGION = /-global$/;
/**
 * aws's partition regex, widened to the other partitions' prefixes (cn, us-gov, us-iso, eusc-de): a name ECS could
 * have. What an ARN's region field is checked against, so eusc-de-east-1 passes where [a-z]{2} refused it.
 */
export const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-';

/** The SDK knows this region: partition() answers a region's description only for a region in its list. */
export function isKnownRegion(name: string): boolean {
  return !PSEUDO_REGION.test(name) && (partition(name) as { description?: string }).description !== undefined;
}

export function judgeRegion(name: string): RegionVerdict {
  if (isKnownRegion(name)) return { kind: 'known' };
  const suggestions = nearestKnownRegions(name);
  // eu-west-4 beside eu-west-1..3 may be a region launched after this SDK was built: let AWS's DNS answer for it
  // (in seconds: connection errors are not retried) rather than refuse a region that exists.
  const onlyTheNumberDiffers = suggestions.every((known) => withoutNumber(known) === withoutNumber(name));
  if (REGION_SHAPE.test(name) && onlyTheNumberDiffers) return { kind: 'maybe-newer' };
  return { kind: 'unknown', suggestions };
}

const withoutNumber = (name: string) => name.replace(/-\d+$/, '');

/**
 * The known regions one edit away (a letter added, dropped, changed or two swapped: eu-wset-1, us-east1,
 * us-east-1a), in lower case, sorted. Typos are found by trying the neighbours against the SDK's list rather than
 * by keeping one.
 */
export function nearestKnownRegions(name: string): string[] {
  const text = name.trim().toLowerCase();
  if (isKnownRegion(text)) return [text];
  return [...new Set([...oneEditAway(text)].filter(isKnownRegion))].sort();
}

function* oneEditAway(text: string): Generator<string> {
  for (let i = 0; i < text.length - 1; i++) yield text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
  for (let i = 0; i < text.length; i++) yield text.slice(0, i) + text.slice(i + 1);
  for (let i = 0; i <= text.length; i++) {
    for (const letter of ALPHABET) {
      if (i < text.length) yield text.slice(0, i) + letter + text.slice(i + 1);
      yield text.slice(0, i) + letter + text.slice(i);
    }
  }
}
