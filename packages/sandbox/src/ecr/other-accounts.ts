/**
 * The ECR registries of accounts other than the sandbox's own. The sandbox keeps no state for them: they stand for
 * the registries its task runtime pulls from, so they hold exactly what a task of the sandbox can pull. With a
 * catalog, the catalogued repositories (every tag and digest: the runtime runs any of them) and the images a test
 * scripted (sandbox.script: the scripted runtime plays them); without one, every image (the scripted runtime
 * starts every image nobody scripted otherwise). ECR and the runtime so agree on
 * which images exist: an image the pre-flight check finds is one the task pulls, and a repository it does not
 * find is one the task fails to pull (CannotPullContainerError).
 *
 * AWS answers another account's repository only under a repository policy granting the caller (ECR user guide,
 * "Private repository policies"). Sandbox choice: a stand-in repository is read as one whose policy grants the
 * sandbox's account pull and describe (DescribeImages, BatchGetImage), as the repository of an image a task pulls
 * must; nothing else (no push: it holds no repository record, so PutImage is RepositoryNotFoundException). A
 * repository of another account the sandbox does hold (seeded with its policy) is answered by operations.ts under
 * that policy (cross-account.ts). The images are answered as single-platform Docker v2 manifests, so they match
 * any cpuArchitecture.
 */
import { createHash } from 'node:crypto';
import type { Context } from '../context';
import { seconds } from '../ecs/render';
import { imageNotFound, repositoryNotFound, type ImageId } from './errors';

type Json = Record<string, unknown>;

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
// Any partition's suffix: amazonaws.com, amazonaws.com.cn, amazonaws.eu, c2s.ic.gov...
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.[a-z0-9.-]+$/;

/** The registry a call names when it is not the sandbox's own (registryId: "the AWS account ID associated with the registry"). */
export function otherAccount(ctx: Context, input: Json): string | undefined {
  const id = input.registryId;
  return typeof id === 'string' && id !== ctx.accountId ? id : undefined;
}

function catalogued(ctx: Context, registryId: string, repository: string): boolean {
  const repositories = ctx.ecr.catalogued;
  if (!repositories) return true;
  return repositories.some((uri) => {
    const slash = uri.indexOf('/');
    return ECR_HOST.exec(uri.slice(0, slash))?.[1] === registryId && uri.slice(slash + 1) === repository;
  });
}

/** The reference a task definition would name the image by, in the sandbox's region, as scripts match it. */
function referenceOf(ctx: Context, registryId: string, repository: string, id: ImageId): string {
  const uri = `${registryId}.dkr.ecr.${ctx.region}.amazonaws.com/${repository}`;
  return id.imageDigest ? `${uri}@${id.imageDigest}` : `${uri}:${id.imageTag}`;
}

/**
 * The images of the ids the registry holds. A repository neither catalogued nor holding a scripted image is
 * RepositoryNotFoundException; in one holding some, an id it does not hold is ImageNotFoundException (as ECR's
 * DescribeImages fails on the first such id).
 */
function heldIds(ctx: Context, registryId: string, input: Json): { repository: string; ids: ImageId[] } {
  const repository = String(input.repositoryName ?? '');
  const ids = (input.imageIds as ImageId[] | undefined) ?? [];
  if (catalogued(ctx, registryId, repository)) return { repository, ids };
  const scripted = ids.filter((id) => ctx.ecr.scripted?.(referenceOf(ctx, registryId, repository, id)));
  if (scripted.length === 0) throw repositoryNotFound(repository, registryId);
  const missing = ids.find((id) => !scripted.includes(id));
  if (missing) throw imageNotFound(missing, repository, registryId);
  return { repository, ids };
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
  // Without imageIds ECR lists the repository's images; which tags the runtime's images have is not known.
  const { repository, ids } = heldIds(ctx, registryId, input);
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
  const { repository, ids } = heldIds(ctx, registryId, input);
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
