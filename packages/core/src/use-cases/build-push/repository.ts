import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { ConfigurationError, type Logger } from '../../common';
import { CACHE_TAG } from './plan';

/**
 * Makes sure the repository exists. Created ones get immutable tags, so a commit's tag can never be moved to
 * other bytes, with the cache tag excluded because every build rewrites it, and scan on push.
 */
export async function ensureRepository(ecr: ECRClient, name: string, create: boolean, log: Logger): Promise<void> {
  try {
    await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return;
  } catch (error) {
    if (!(error instanceof RepositoryNotFoundException)) throw error;
  }
  if (!create) {
    throw new ConfigurationError(
      `Input 'repository': ECR has no repository "${name}" in this account and region. Create it, or set create-repository to true.`,
      'repository',
    );
  }
  await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: name,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: CACHE_TAG }],
      imageScanningConfiguration: { scanOnPush: true },
    }),
  );
  log.info(`Created ECR repository ${name} (immutable tags except ${CACHE_TAG}, scan on push).`);
}

export interface ExistingImage {
  digest: string;
  tags: string[];
  sizeInBytes?: number;
}

/** The image a tag names in the repository, or undefined when there is none. */
export async function findImage(ecr: ECRClient, repository: string, tag: string): Promise<ExistingImage | undefined> {
  try {
    const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    const detail = answer.imageDetails?.[0];
    if (!detail?.imageDigest) return undefined;
    return { digest: detail.imageDigest, tags: detail.imageTags ?? [], sizeInBytes: detail.imageSizeInBytes };
  } catch (error) {
    if (error instanceof ImageNotFoundException) return undefined;
    throw error;
  }
}
