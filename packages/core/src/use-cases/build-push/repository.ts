import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  RepositoryNotFoundException,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { ConfigurationError, type Logger } from '../../common';
import { putLifecyclePolicy, wantsLifecycle, type LifecycleRequest } from './lifecycle';
import { CACHE_TAG } from './plan';
import { createRefusedElsewhere, readRefusedElsewhere, refusedByEcr } from './registry-grants';

/** What build-push needs to know of the repository before building. */
export interface RepositoryFacts {
  /** registry/name, where images are pushed; undefined only when ECR's answer lacks it. */
  uri?: string;
  /** MUTABLE, IMMUTABLE, MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION. */
  tagMutability?: string;
  exclusionFilters: string[];
  /** True when this step created it. */
  created: boolean;
}

const factsOf = (repository: Repository | undefined, created: boolean): RepositoryFacts => ({
  uri: repository?.repositoryUri,
  tagMutability: repository?.imageTagMutability,
  exclusionFilters: (repository?.imageTagMutabilityExclusionFilters ?? []).flatMap((f) => (f.filter ? [f.filter] : [])),
  created,
});

/**
 * Makes sure the repository exists, in the registry of registryId (input 'registry-id') or the caller's own.
 * Created ones get immutable tags, so a commit's tag can never be moved to other bytes, with the cache tag
 * excluded because every build rewrites it, and scan on push.
 */
export async function ensureRepository(
  ecr: ECRClient,
  name: string,
  options: {
    create: boolean;
    registryId?: string;
    /** Refuses what the repository (found, or as it would be created) cannot take, before it is created. */
    check?: (facts: RepositoryFacts) => Promise<void>;
    /** The lifecycle policy a repository this step creates gets; an existing one's is left alone. */
    lifecycle?: LifecycleRequest;
  },
  log: Logger,
): Promise<RepositoryFacts> {
  const { registryId, check = async () => {} } = options;
  try {
    const answer = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }));
    const facts = factsOf(answer.repositories?.[0], false);
    await check(facts);
    if (wantsLifecycle(options.lifecycle))
      log.warning(
        `The lifecycle inputs apply only to a repository this step creates; ${name} exists, so its lifecycle policy is left as it is.`,
      );
    return facts;
  } catch (error) {
    if (registryId && refusedByEcr(error)) throw readRefusedElsewhere(error, name, registryId, options.create);
    if (!(error instanceof RepositoryNotFoundException)) throw error;
  }
  const where = registryId ? `the registry of account ${registryId} (input 'registry-id')` : 'this account and region';
  if (!options.create) {
    throw new ConfigurationError(
      `Input 'repository': ECR has no repository "${name}" in ${where}. Create it, or set create-repository to true.`,
      'repository',
    );
  }
  await check({ tagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: [CACHE_TAG], created: true });
  const answer = await ecr
    .send(
      new CreateRepositoryCommand({
        repositoryName: name,
        registryId,
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: CACHE_TAG }],
        imageScanningConfiguration: { scanOnPush: true },
      }),
    )
    .catch((error: unknown) => {
      throw registryId && refusedByEcr(error) ? createRefusedElsewhere(error, name, registryId) : error;
    });
  log.info(`Created ECR repository ${name}${registryId ? ` in ${where}` : ''} (immutable tags except ${CACHE_TAG}, scan on push).`);
  if (wantsLifecycle(options.lifecycle)) await putLifecyclePolicy(ecr, { repository: name, registryId }, options.lifecycle, log);
  return factsOf(answer.repository, true);
}

export interface ExistingImage {
  digest: string;
  tags: string[];
  sizeInBytes?: number;
}

/** The image a tag names in the repository, or undefined when there is none. */
export function findImage(ecr: ECRClient, repository: string, tag: string, registryId?: string): Promise<ExistingImage | undefined> {
  return describedImage(() =>
    ecr.send(new DescribeImagesCommand({ repositoryName: repository, registryId, imageIds: [{ imageTag: tag }] })),
  );
}

/**
 * The image a DescribeImages call for one tag answers, or undefined when the registry has none. Private ECR and ECR
 * Public answer with the same shape and both refuse an unknown tag with ImageNotFoundException (each client its own class).
 */
export async function describedImage(
  describe: () => Promise<{ imageDetails?: { imageDigest?: string; imageTags?: string[]; imageSizeInBytes?: number }[] }>,
): Promise<ExistingImage | undefined> {
  try {
    const detail = (await describe()).imageDetails?.[0];
    if (!detail?.imageDigest) return undefined;
    return { digest: detail.imageDigest, tags: detail.imageTags ?? [], sizeInBytes: detail.imageSizeInBytes };
  } catch (error) {
    if (error instanceof Error && error.name === 'ImageNotFoundException') return undefined;
    throw error;
  }
}
