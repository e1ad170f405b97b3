/**
 * Tags an immutable repository cannot move, refused before anything is built or changed: a push to a tag that
 * already names another image fails (ImageTagAlreadyExistsException) after the whole build, and `latest`, which
 * is meant to move to each build, would fail the next one.
 */
import { DescribeImagesCommand, ImageNotFoundException, type ECRClient } from '@aws-sdk/client-ecr';
import { ConfigurationError } from '../../common';
import type { RepositoryFacts } from './repository';

/** Tags named as meant to move to each new build. */
export const MOVING_TAGS = ['latest'];

/**
 * Whether ECR refuses to move the tag (PutImage, "imageTagMutability"): IMMUTABLE, IMMUTABLE_WITH_EXCLUSION unless an
 * exclusion filter matches it, MUTABLE_WITH_EXCLUSION when one does. A filter's only wildcard is `*`.
 */
export function tagIsImmutable(facts: Pick<RepositoryFacts, 'tagMutability' | 'exclusionFilters'>, tag: string): boolean {
  const excluded = facts.exclusionFilters.some((filter) =>
    new RegExp(
      `^${filter
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(tag),
  );
  if (facts.tagMutability === 'IMMUTABLE') return true;
  if (facts.tagMutability === 'IMMUTABLE_WITH_EXCLUSION') return !excluded;
  if (facts.tagMutability === 'MUTABLE_WITH_EXCLUSION') return excluded;
  return false;
}

const describeMutability = (facts: Pick<RepositoryFacts, 'tagMutability' | 'exclusionFilters'>) =>
  `imageTagMutability ${facts.tagMutability}${facts.exclusionFilters.length ? `, exclusions ${facts.exclusionFilters.join(', ')}` : ''}`;

/**
 * Refuses, naming input 'tags', an extra tag the repository will not let this build take: `latest` (or another
 * moving tag) when it is immutable there, and any immutable tag that already names an image other than the
 * commit's (an image tagged `commitSha`, which skip-existing reuses, may keep its tags).
 */
export async function refuseImmutableMoves(
  ecr: ECRClient,
  target: { repository: string; registryId?: string; facts: Pick<RepositoryFacts, 'tagMutability' | 'exclusionFilters' | 'created'> },
  tags: string[],
  commitSha: string,
): Promise<void> {
  const { facts } = target;
  const fix =
    'use a tag per release (e.g. build-${{ github.run_number }}), or let the tag move with an exclusion filter (imageTagMutability IMMUTABLE_WITH_EXCLUSION)';
  for (const tag of tags.filter((t) => tagIsImmutable(facts, t))) {
    const holder = facts.created ? undefined : await imageTagged(ecr, target, tag);
    if (holder?.tags.includes(commitSha)) continue;
    if (holder) {
      throw new ConfigurationError(
        `Input 'tags' holds ${tag}, which already names image ${holder.digest} in ${target.repository}, and the repository's tags are immutable (${describeMutability(facts)}): the push would fail after the build. ${fix[0].toUpperCase()}${fix.slice(1)}.`,
        'tags',
      );
    }
    if (MOVING_TAGS.includes(tag)) {
      throw new ConfigurationError(
        `Input 'tags' holds ${tag}, a tag meant to move to each new build, and ${target.repository}'s tags are immutable (${describeMutability(facts)}): the next build's push would fail. Drop it and deploy by digest (the output 'image'), ${fix}.`,
        'tags',
      );
    }
  }
}

async function imageTagged(
  ecr: ECRClient,
  target: { repository: string; registryId?: string },
  tag: string,
): Promise<{ digest: string; tags: string[] } | undefined> {
  try {
    const answer = await ecr.send(
      new DescribeImagesCommand({ repositoryName: target.repository, registryId: target.registryId, imageIds: [{ imageTag: tag }] }),
    );
    const detail = answer.imageDetails?.[0];
    return detail?.imageDigest ? { digest: detail.imageDigest, tags: detail.imageTags ?? [] } : undefined;
  } catch (error) {
    if (error instanceof ImageNotFoundException) return undefined;
    throw error;
  }
}
