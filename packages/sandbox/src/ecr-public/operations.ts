/**
 * Amazon ECR Public's API (awsJson1_1, target prefix SpencerFrontendService, signing name ecr-public) over the real
 * registry behind the sandbox's private ECR. A public repository's images live there under `<alias>/<name>`, the path
 * its repositoryUri names, so `docker push` to that URI is what DescribeImages then reads.
 */
import type { Context } from '../context';
import { seconds } from '../ecs/render';
import { imageNotFound, type ImageId } from '../ecr/errors';
import { imageDetail } from '../ecr/image-detail';
import { listImages, resolveImage, type StoredImage } from '../ecr/images';
import { REPOSITORY_NAME } from '../ecr/names';
import { optional } from '../ecr/params';
import { invalidPublicParameter, publicRepositoryExists, publicRepositoryNotFound, registryNotFound } from './errors';
import { defaultAliasOf, type PublicRepositoryRecord } from './state';

type Json = Record<string, unknown>;
// "The authorization token is valid for 12 hours" (ECR Public API reference, GetAuthorizationToken).
const TOKEN_HOURS = 12;
// ECR Public's repositoryName: 2 to 205 characters (ECR Public API reference, CreateRepository).
const NAME_MAX = 205;
/** The registry host of real ECR Public, when the sandbox has no registry behind it. */
const PUBLIC_HOST = 'public.ecr.aws';

const hostOf = (ctx: Context) => (ctx.ecr.registry ? new URL(ctx.ecr.registry.endpoint).host : PUBLIC_HOST);

/** The repository's images in the real registry: the path after the host of its URI. */
const storeOf = (repository: PublicRepositoryRecord) => ({
  repositoryName: repository.repositoryUri.slice(repository.repositoryUri.indexOf('/') + 1),
});

/**
 * registryId: "If you do not specify a registry, the default public registry is assumed" (ECR Public API reference).
 * The sandbox holds the caller's public registry only: another account's is RegistryNotFoundException (*unconfirmed*).
 */
function checkRegistry(ctx: Context, input: Json): void {
  const id = input.registryId;
  if (id === undefined || id === ctx.accountId) return;
  if (typeof id !== 'string' || !/^[0-9]{12}$/.test(id))
    throw invalidPublicParameter(
      "Invalid parameter at 'registryId' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [0-9]{12}'",
    );
  throw registryNotFound(id);
}

function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'";
  if (name.length < 2 || name.length > NAME_MAX)
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length between 2 and ${NAME_MAX}'`;
  if (!REPOSITORY_NAME.test(name))
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source.slice(1, -1)}''`;
  return undefined;
}

function requireRepository(ctx: Context, input: Json, name = input.repositoryName): PublicRepositoryRecord {
  checkRegistry(ctx, input);
  const problem = nameProblem(name);
  if (problem) throw invalidPublicParameter(problem);
  const repository = ctx.ecrPublic.repositories.get(name as string);
  if (!repository) throw publicRepositoryNotFound(name as string, ctx.accountId);
  return repository;
}

// ECR Public's Repository has no tag mutability, scanning or encryption settings (ECR Public API reference, Repository).
const renderRepository = (repository: PublicRepositoryRecord): Json => ({
  repositoryArn: repository.repositoryArn,
  registryId: repository.registryId,
  repositoryName: repository.repositoryName,
  repositoryUri: repository.repositoryUri,
  createdAt: seconds(repository.createdAt),
});

// ECR Public's ImageDetail: no scan status or findings summary (ECR Public API reference, ImageDetail).
const renderImage = (repository: PublicRepositoryRecord, image: StoredImage): Json => imageDetail(repository, image);

export const ecrPublicOperations: Record<string, (ctx: Context, input: Json) => Json | Promise<Json>> = {
  // One authorizationData object, not a list as private ECR's, with no proxyEndpoint: the token is for public.ecr.aws,
  // username AWS (ECR Public user guide, "Registry authentication in Amazon ECR public"). The sandbox's token opens
  // its real registry, whose credentials it carries.
  GetAuthorizationToken(ctx) {
    const registry = ctx.ecr.registry;
    const credentials = registry ? `${registry.username}:${registry.password}` : 'AWS:sandbox';
    return {
      authorizationData: {
        authorizationToken: Buffer.from(credentials).toString('base64'),
        expiresAt: seconds(ctx.clock.now() + TOKEN_HOURS * 3_600_000),
      },
    };
  },

  // The caller's public registry, with its alias once it has one (see state.ts). verified: false, as a registry is
  // until AWS verifies its publisher (ECR Public API reference, Registry: "verified").
  DescribeRegistries(ctx) {
    const alias = ctx.ecrPublic.alias;
    return {
      registries: [
        {
          registryId: ctx.accountId,
          registryArn: `arn:${ctx.arns.partition}:ecr-public::${ctx.accountId}:registry/${ctx.accountId}`,
          registryUri: alias ? `${hostOf(ctx)}/${alias}` : '',
          verified: false,
          aliases: alias ? [{ name: alias, status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true }] : [],
        },
      ],
    };
  },

  // catalogData and tags are all CreateRepository takes besides the name: no mutability, scanning or encryption.
  CreateRepository(ctx, input) {
    checkRegistry(ctx, input);
    const name = input.repositoryName;
    const problem = nameProblem(name);
    if (problem) throw invalidPublicParameter(problem);
    const repositoryName = name as string;
    if (ctx.ecrPublic.repositories.has(repositoryName)) throw publicRepositoryExists(repositoryName, ctx.accountId);
    ctx.ecrPublic.alias ??= defaultAliasOf(ctx.accountId);
    const repository: PublicRepositoryRecord = {
      repositoryName,
      // ECR Public's ARNs have no region (Service Authorization Reference, ECR Public's resource types: *unconfirmed*
      // by the excerpts at hand; the API reference's example shows a private ECR ARN).
      repositoryArn: `arn:${ctx.arns.partition}:ecr-public::${ctx.accountId}:repository/${repositoryName}`,
      registryId: ctx.accountId,
      repositoryUri: `${hostOf(ctx)}/${ctx.ecrPublic.alias}/${repositoryName}`,
      createdAt: ctx.clock.now(),
      ...(input.catalogData ? { catalogData: input.catalogData as Json } : {}),
    };
    ctx.ecrPublic.repositories.set(repositoryName, repository);
    return { repository: renderRepository(repository), catalogData: repository.catalogData ?? {} };
  },

  DescribeRepositories(ctx, input) {
    checkRegistry(ctx, input);
    const names = optional<string[]>(input, 'repositoryNames');
    const repositories = names ? names.map((name) => requireRepository(ctx, input, name)) : [...ctx.ecrPublic.repositories.values()];
    return { repositories: repositories.map(renderRepository) };
  },

  // As private ECR's: it fails on the first imageId it cannot find (ImageNotFoundException).
  async DescribeImages(ctx, input) {
    const repository = requireRepository(ctx, input);
    const store = storeOf(repository);
    const images = await listImages(ctx, store);
    const ids = optional<ImageId[]>(input, 'imageIds');
    if (ids === undefined) return { imageDetails: images.map((image) => renderImage(repository, image)) };
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100)
      throw invalidPublicParameter(
        "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'",
      );
    const found: StoredImage[] = [];
    for (const id of ids) {
      const resolved = await resolveImage(ctx, store, id, images);
      if ('failure' in resolved) throw imageNotFound(id, repository.repositoryName, repository.registryId);
      if (!found.includes(resolved.image)) found.push(resolved.image);
    }
    return { imageDetails: found.map((image) => renderImage(repository, image)) };
  },

  // Each tag with the image it names (ECR Public API reference, DescribeImageTags, ImageTagDetail).
  async DescribeImageTags(ctx, input) {
    const repository = requireRepository(ctx, input);
    const images = await listImages(ctx, storeOf(repository));
    return {
      imageTagDetails: images.flatMap((image) =>
        image.tags.map((imageTag) => ({
          imageTag,
          createdAt: seconds(image.pushedAt),
          imageDetail: {
            imageDigest: image.digest,
            imageSizeInBytes: image.manifest.sizeInBytes,
            imagePushedAt: seconds(image.pushedAt),
            imageManifestMediaType: image.manifest.mediaType,
            ...(image.manifest.artifactMediaType ? { artifactMediaType: image.manifest.artifactMediaType } : {}),
          },
        })),
      ),
    };
  },
};
