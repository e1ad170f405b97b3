/**
 * The ECR registries of accounts other than the sandbox's own. The sandbox keeps no state for them: they stand for
 * the registries its task runtime pulls from, so they hold exactly what a task of the sandbox can pull. With a
 * catalog, the catalogued repositories (every tag and digest: the runtime runs any of them); without one, every
 * image (the scripted runtime starts every image nobody scripted otherwise). ECR and the runtime so agree on
 * which images exist: an image the pre-flight check finds is one the task pulls, and a repository it does not
 * find is one the task fails to pull (CannotPullContainerError).
 *
 * Sandbox choice, *unconfirmed* for cross-account reads: AWS answers another account's repository only under a
 * repository policy granting the caller (ECR user guide, "Private repository policies"); the sandbox answers as if
 * every such policy granted it. The images are answered as single-platform Docker v2 manifests, so they match
 * any cpuArchitecture.
 */
import { createHash } from 'node:crypto';
import type { Context } from '../context';
import { seconds } from '../ecs/render';
import { repositoryNotFound, type ImageId } from './errors';

type Json = Record<string, unknown>;

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

/** The registry a call names when it is not the sandbox's own (registryId: "the AWS account ID associated with the registry"). */
export function otherAccount(ctx: Context, input: Json): string | undefined {
  const id = input.registryId;
  return typeof id === 'string' && id !== ctx.accountId ? id : undefined;
}

function holds(ctx: Context, registryId: string, repository: string): boolean {
  const catalogued = ctx.ecr.catalogued;
  if (!catalogued) return true;
  return catalogued.some((uri) => {
    const slash = uri.indexOf('/');
    return ECR_HOST.exec(uri.slice(0, slash))?.[1] === registryId && uri.slice(slash + 1) === repository;
  });
}

function requireHeld(ctx: Context, registryId: string, input: Json): string {
  const repository = String(input.repositoryName ?? '');
  if (!holds(ctx, registryId, repository)) throw repositoryNotFound(repository, registryId);
  return repository;
}

/** The image an id names, as its registry would hold it: the digest stands for the manifest the runtime pulls. */
function imageOf(registryId: string, repository: string, id: ImageId) {
  const digest = id.imageDigest ?? `sha256:${createHash('sha256').update(`${registryId}/${repository}:${id.imageTag}`).digest('hex')}`;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 0, digest },
    layers: [],
  });
  return { digest, manifest };
}

export function describeOtherAccountImages(ctx: Context, registryId: string, input: Json): Json {
  const repository = requireHeld(ctx, registryId, input);
  // Without imageIds ECR lists the repository's images; which tags the runtime's images have is not known.
  const ids = (input.imageIds as ImageId[] | undefined) ?? [];
  return {
    imageDetails: ids.map((id) => ({
      registryId,
      repositoryName: repository,
      imageDigest: imageOf(registryId, repository, id).digest,
      ...(id.imageTag ? { imageTags: [id.imageTag] } : {}),
      imageSizeInBytes: 0,
      imagePushedAt: seconds(0),
      imageManifestMediaType: MANIFEST_TYPE,
    })),
  };
}

export function batchGetOtherAccountImages(ctx: Context, registryId: string, input: Json): Json {
  const repository = requireHeld(ctx, registryId, input);
  const ids = (input.imageIds as ImageId[] | undefined) ?? [];
  return {
    images: ids.map((id) => {
      const { digest, manifest } = imageOf(registryId, repository, id);
      return {
        registryId,
        repositoryName: repository,
        imageId: { imageDigest: digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
        imageManifest: manifest,
        imageManifestMediaType: MANIFEST_TYPE,
      };
    }),
    failures: [],
  };
}
