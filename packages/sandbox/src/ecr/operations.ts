/** ECR's API (awsJson1_1, target prefix AmazonEC2ContainerRegistry_V20150921) over the real registry. */
import type { Context } from '../context';
import { seconds } from '../ecs/render';
import { imageNotFound, invalidEcrParameter, notNull, repositoryExists, repositoryNotFound, scanNotFound, type ImageId } from './errors';
import { imageDetail } from './image-detail';
import { listImages, requireImage, resolveImage, type StoredImage } from './images';
import { repositoryNameProblem } from './names';
import { optional, requireMember } from './params';
import { getLifecyclePolicy, putLifecyclePolicy } from './lifecycle';
import { putImage } from './put-image';
import { parseRepositoryPolicy } from './repository-policy';
import { batchGetOtherAccountImages, describeOtherAccountImages, otherAccount } from './other-accounts';
import { bySeverity, scanOf, severityCounts } from './scans';
import type { RepositoryRecord } from './state';
import { crossAccountCreateRefused, crossAccountListRefused, repositoryArn, requireGrant } from './cross-account';
import type { Caller } from '../http/protocol';
import { dnsSuffixOfRegion } from '../arns';

type Json = Record<string, unknown>;
const TOKEN_HOURS = 12;
const MUTABILITY = ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'];

/** The registry's host: the real one behind the sandbox, else the address ECR would give this account. */
function registryHost(ctx: Context, registryId = ctx.accountId): string {
  return ctx.ecr.registry
    ? new URL(ctx.ecr.registry.endpoint).host
    : `${registryId}.dkr.ecr.${ctx.region}.${dnsSuffixOfRegion(ctx.region)}`;
}

const REGISTRY_ID = /^[0-9]{12}$/;

/**
 * The registry a call names (registryId: "If you do not specify a registry, the default registry is assumed"):
 * the caller's own, or another account's, where the repository's policy decides what the caller may do
 * (cross-account.ts).
 */
function registryOf(ctx: Context, input: Json): { id: string; repositories: Map<string, RepositoryRecord> } {
  const id = input.registryId;
  if (id === undefined || id === ctx.accountId) return { id: ctx.accountId, repositories: ctx.ecr.repositories };
  if (typeof id !== 'string' || !REGISTRY_ID.test(id))
    throw invalidEcrParameter(
      `Invalid parameter at 'registryId' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [0-9]{12}'`,
    );
  let repositories = ctx.ecr.otherRegistries.get(id);
  if (!repositories) ctx.ecr.otherRegistries.set(id, (repositories = new Map()));
  return { id, repositories };
}

/**
 * The repository a call names, which must grant the call when it is another account's. An absent repository of
 * another account is RepositoryNotFoundException, as in the caller's own (*unconfirmed*: AWS may answer
 * AccessDeniedException, having no policy to read).
 */
function requireRepository(ctx: Context, input: Json, operation: string, caller?: Caller): RepositoryRecord {
  const name = input.repositoryName;
  const problem = repositoryNameProblem(name);
  if (problem) throw invalidEcrParameter(problem);
  const registry = registryOf(ctx, input);
  const repository = registry.repositories.get(name as string);
  if (!repository) throw repositoryNotFound(name as string, registry.id);
  requireGrant(ctx, caller, repository, operation);
  return repository;
}

/** Another account's registry the sandbox holds no such repository of: answered by the task runtime's stand-in. */
function standInRegistry(ctx: Context, input: Json): string | undefined {
  const other = otherAccount(ctx, input);
  if (!other) return undefined;
  return ctx.ecr.otherRegistries.get(other)?.has(String(input.repositoryName)) ? undefined : other;
}

function imageIdsOf(input: Json, field = 'imageIds'): ImageId[] | undefined {
  const ids = input[field];
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100)
    throw invalidEcrParameter(`Invalid parameter at '${field}' failed to satisfy constraint: 'Member must have length between 1 and 100'`);
  return ids as ImageId[];
}

function renderRepository(repository: RepositoryRecord): Json {
  return {
    repositoryArn: repository.repositoryArn,
    registryId: repository.registryId,
    repositoryName: repository.repositoryName,
    repositoryUri: repository.repositoryUri,
    createdAt: seconds(repository.createdAt),
    imageTagMutability: repository.imageTagMutability,
    ...(repository.imageTagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters }
      : {}),
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function renderImage(ctx: Context, repository: RepositoryRecord, image: StoredImage): Json {
  const scan = scanOf(ctx, repository, image);
  return {
    ...imageDetail(repository, image),
    ...(scan ? { imageScanStatus: { status: scan.status, description: scanDescription(scan.status) } } : {}),
    ...(scan?.status === 'COMPLETE'
      ? {
          imageScanFindingsSummary: {
            imageScanCompletedAt: seconds(scan.completedAt),
            findingSeverityCounts: severityCounts(scan.findings),
          },
        }
      : {}),
  };
}

const scanDescription = (status: string) => (status === 'COMPLETE' ? 'The scan was completed successfully.' : 'The scan is in progress.');

/**
 * CreateRepository's work in a registry: the API's in the caller's own, a seed's in another account's (as that
 * account would create its own repository). The policy text is SetRepositoryPolicy's.
 */
export function createRepositoryIn(ctx: Context, registryId: string, input: Json, policyText?: string): RepositoryRecord {
  const name = input.repositoryName;
  const problem = repositoryNameProblem(name);
  if (problem) throw invalidEcrParameter(problem);
  const mutability = optional<string>(input, 'imageTagMutability') ?? 'MUTABLE';
  if (!MUTABILITY.includes(mutability)) {
    throw invalidEcrParameter(
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${MUTABILITY.join(', ')}]'`,
    );
  }
  const filters = input.imageTagMutabilityExclusionFilters as RepositoryRecord['imageTagMutabilityExclusionFilters'];
  if (mutability.endsWith('_WITH_EXCLUSION') !== (filters !== undefined && filters.length > 0)) {
    throw invalidEcrParameter(
      'imageTagMutabilityExclusionFilters must be given exactly when imageTagMutability is MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION.',
    );
  }
  if (policyText !== undefined) parseRepositoryPolicy(policyText);
  const repositoryName = name as string;
  const registry = registryOf(ctx, { registryId });
  if (registry.repositories.has(repositoryName)) throw repositoryExists(repositoryName, registry.id);
  const scanning = optional<{ scanOnPush?: boolean }>(input, 'imageScanningConfiguration');
  const repository: RepositoryRecord = {
    repositoryName,
    repositoryArn: repositoryArn(ctx, registry.id, repositoryName),
    repositoryUri: `${registryHost(ctx, registry.id)}/${repositoryName}`,
    registryId: registry.id,
    createdAt: ctx.clock.now(),
    imageTagMutability: mutability,
    ...(filters?.length ? { imageTagMutabilityExclusionFilters: filters } : {}),
    scanOnPush: scanning?.scanOnPush === true,
    ...(policyText !== undefined ? { policyText } : {}),
  };
  registry.repositories.set(repositoryName, repository);
  return repository;
}

export const ecrOperations: Record<string, (ctx: Context, input: Json, caller?: Caller) => Json | Promise<Json>> = {
  // registryIds is deprecated ("the returned authorization token can be used to access any Amazon ECR registry
  // that the IAM principal has access to") but still answered: one authorizationData per registry named.
  GetAuthorizationToken(ctx, input) {
    const registry = ctx.ecr.registry;
    const credentials = registry ? `${registry.username}:${registry.password}` : 'AWS:sandbox';
    const ids = optional<string[]>(input, 'registryIds') ?? [ctx.accountId];
    return {
      authorizationData: ids.map((id) => ({
        authorizationToken: Buffer.from(credentials).toString('base64'),
        expiresAt: seconds(ctx.clock.now() + TOKEN_HOURS * 3_600_000),
        proxyEndpoint: registry
          ? registry.endpoint.replace(/\/$/, '')
          : `https://${registryHost(ctx, registryOf(ctx, { registryId: id }).id)}`,
      })),
    };
  },

  CreateRepository(ctx, input, caller) {
    const { id } = registryOf(ctx, input);
    if (id !== ctx.accountId) throw crossAccountCreateRefused(ctx, caller, id, String(input.repositoryName));
    return { repository: renderRepository(createRepositoryIn(ctx, id, input)) };
  },

  DescribeRepositories(ctx, input, caller) {
    const names = optional<string[]>(input, 'repositoryNames');
    const registry = registryOf(ctx, input);
    if (!names && registry.id !== ctx.accountId) throw crossAccountListRefused(ctx, caller, registry.id);
    const repositories = names
      ? names.map((name) => requireRepository(ctx, { ...input, repositoryName: name }, 'DescribeRepositories', caller))
      : [...registry.repositories.values()];
    return { repositories: repositories.map(renderRepository) };
  },

  PutImageScanningConfiguration(ctx, input, caller) {
    const repository = requireRepository(ctx, input, 'PutImageScanningConfiguration', caller);
    const scanning = requireMember<{ scanOnPush?: boolean }>(input, 'imageScanningConfiguration');
    repository.scanOnPush = scanning.scanOnPush === true;
    return {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    };
  },

  async DescribeImages(ctx, input, caller) {
    const other = standInRegistry(ctx, input);
    if (other) return describeOtherAccountImages(ctx, other, input);
    const repository = requireRepository(ctx, input, 'DescribeImages', caller);
    const ids = imageIdsOf(input);
    const images = await listImages(ctx, repository);
    if (!ids) return { imageDetails: images.map((image) => renderImage(ctx, repository, image)) };
    const found: StoredImage[] = [];
    for (const id of ids) {
      const resolved = await resolveImage(ctx, repository, id, images);
      // DescribeImages fails on the first imageId it cannot find (ImageNotFoundException), unlike BatchGetImage.
      if ('failure' in resolved) throw imageNotFound(id, repository.repositoryName, repository.registryId);
      if (!found.includes(resolved.image)) found.push(resolved.image);
    }
    return { imageDetails: found.map((image) => renderImage(ctx, repository, image)) };
  },

  async BatchGetImage(ctx, input, caller) {
    const other = standInRegistry(ctx, input);
    if (other) return batchGetOtherAccountImages(ctx, other, input);
    const repository = requireRepository(ctx, input, 'BatchGetImage', caller);
    const ids = imageIdsOf(input) ?? [];
    if (ids.length === 0) throw notNull('imageIds');
    const accepted = optional<string[]>(input, 'acceptedMediaTypes');
    const images: Json[] = [];
    const failures: Json[] = [];
    const all = await listImages(ctx, repository);
    for (const id of ids) {
      const resolved = await resolveImage(ctx, repository, id, all);
      if ('failure' in resolved) {
        const reason = resolved.failure === 'ImageNotFound' ? 'Requested image not found' : 'Requested image tag does not match the digest';
        failures.push({ imageId: id, failureCode: resolved.failure, failureReason: reason });
      } else if (accepted && !accepted.includes(resolved.image.manifest.mediaType)) {
        failures.push({ imageId: id, failureCode: 'UnsupportedImageType', failureReason: 'Image does not match the accepted media types' });
      } else {
        const { image } = resolved;
        images.push({
          registryId: repository.registryId,
          repositoryName: repository.repositoryName,
          imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
          imageManifest: image.manifest.body,
          imageManifestMediaType: image.manifest.mediaType,
        });
      }
    }
    return { images, failures };
  },

  PutLifecyclePolicy(ctx, input, caller) {
    return putLifecyclePolicy(requireRepository(ctx, input, 'PutLifecyclePolicy', caller), input);
  },

  GetLifecyclePolicy(ctx, input, caller) {
    return getLifecyclePolicy(ctx, requireRepository(ctx, input, 'GetLifecyclePolicy', caller));
  },

  async PutImage(ctx, input, caller) {
    return putImage(ctx, requireRepository(ctx, input, 'PutImage', caller), input);
  },

  async DescribeImageScanFindings(ctx, input, caller) {
    const repository = requireRepository(ctx, input, 'DescribeImageScanFindings', caller);
    const id = optional<ImageId>(input, 'imageId');
    if (!id || (id.imageDigest === undefined && id.imageTag === undefined)) {
      throw notNull('imageId');
    }
    const image = await requireImage(ctx, repository, id);
    const scan = scanOf(ctx, repository, image);
    if (!scan) throw scanNotFound(id, repository.repositoryName, repository.registryId);
    const answer: Json = {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
      imageScanStatus: { status: scan.status, description: scanDescription(scan.status) },
    };
    if (scan.status !== 'COMPLETE') return answer;
    const maxResults = optional<number>(input, 'maxResults') ?? 100;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
      throw invalidEcrParameter(
        "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'",
      );
    }
    const start = Number(input.nextToken ?? 0) || 0;
    const sorted = bySeverity(scan.findings);
    return {
      ...answer,
      imageScanFindings: {
        imageScanCompletedAt: seconds(scan.completedAt),
        vulnerabilitySourceUpdatedAt: seconds(scan.completedAt),
        findingSeverityCounts: severityCounts(scan.findings),
        findings: sorted.slice(start, start + maxResults),
      },
      ...(start + maxResults < sorted.length ? { nextToken: String(start + maxResults) } : {}),
    };
  },
};
