import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { ConfigurationError, type Logger } from '../../common';
import { CACHE_TAG } from './plan';

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
  options: { create: boolean; registryId?: string },
  log: Logger,
): Promise<RepositoryFacts> {
  const { registryId } = options;
  try {
    const answer = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }));
    return factsOf(answer.repositories?.[0], false);
  } catch (error) {
    if (!(error instanceof RepositoryNotFoundException)) throw error;
  }
  const where = registryId ? `the registry of account ${registryId} (input 'registry-id')` : 'this account and region';
  if (!options.create) {
    throw new ConfigurationError(
      `Input 'repository': ECR has no repository "${name}" in ${where}. Create it, or set create-repository to true.`,
      'repository',
    );
  }
  const answer = await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: name,
      registryId,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: CACHE_TAG }],
      imageScanningConfiguration: { scanOnPush: true },
    }),
  );
  log.info(`Created ECR repository ${name}${registryId ? ` in ${where}` : ''} (immutable tags except ${CACHE_TAG}, scan on push).`);
  return factsOf(answer.repository, true);
}

export interface ExistingImage {
  digest: string;
  tags: string[];
  sizeInBytes?: number;
}

/** The image a tag names in the repository, or undefined when there is none. */
export async function findImage(ecr: ECRClient, repository: string, tag: string, registryId?: string): Promise<ExistingImage | undefined> {
  try {
    const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, registryId, imageIds: [{ imageTag: tag }] }));
    const detail = answer.imageDetails?.[0];
    if (!detail?.imageDigest) return undefined;
    return { digest: detail.imageDigest, tags: detail.imageTags ?? [], sizeInBytes: detail.imageSizeInBytes };
  } catch (error) {
    if (error instanceof ImageNotFoundException) return undefined;
    throw error;
  }
}
