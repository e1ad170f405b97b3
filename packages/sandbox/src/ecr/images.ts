/**
 * The images of a repository as ECR describes them, read from the real registry and grouped by digest. What is read
 * is the registry path repositoryName names: a private repository's name, or ECR Public's `<alias>/<name>`.
 */
import type { Context } from '../context';
import { imageNotFound, type ImageId } from './errors';
import { RegistryClient, type RegistryManifest } from './registry-client';
import type { RepositoryRecord } from './state';

/** Where a repository's images are in the real registry. */
export type ImageStore = Pick<RepositoryRecord, 'repositoryName'>;

export interface StoredImage {
  digest: string;
  tags: string[];
  manifest: RegistryManifest;
  pushedAt: number;
}

function client(ctx: Context): RegistryClient | undefined {
  return ctx.ecr.registry ? new RegistryClient(ctx.ecr.registry) : undefined;
}

function remember(ctx: Context, repository: string, manifest: RegistryManifest, tags: string[]): StoredImage {
  const key = `${repository}@${manifest.digest}`;
  if (!ctx.ecr.firstSeen.has(key)) ctx.ecr.firstSeen.set(key, ctx.clock.now());
  return { digest: manifest.digest, tags, manifest, pushedAt: ctx.ecr.firstSeen.get(key) as number };
}

/** Every tagged image of the repository. Without a registry the sandbox's ECR holds no images. */
export async function listImages(ctx: Context, repository: ImageStore): Promise<StoredImage[]> {
  const registry = client(ctx);
  if (!registry) return [];
  const byDigest = new Map<string, { manifest: RegistryManifest; tags: string[] }>();
  for (const tag of await registry.tags(repository.repositoryName)) {
    const manifest = await registry.manifest(repository.repositoryName, tag);
    if (!manifest) continue;
    const entry = byDigest.get(manifest.digest) ?? { manifest, tags: [] };
    entry.tags.push(tag);
    byDigest.set(manifest.digest, entry);
  }
  return [...byDigest.values()].map(({ manifest, tags }) => remember(ctx, repository.repositoryName, manifest, tags));
}

export type Resolution = { image: StoredImage } | { failure: 'ImageNotFound' | 'ImageTagDoesNotMatchDigest' };

/** Finds the image an imageId names; a digest and a tag together must name the same image. */
export async function resolveImage(ctx: Context, repository: ImageStore, id: ImageId, images?: StoredImage[]): Promise<Resolution> {
  const all = images ?? (await listImages(ctx, repository));
  const byTag = id.imageTag !== undefined ? all.find((image) => image.tags.includes(id.imageTag as string)) : undefined;
  if (id.imageTag !== undefined && !byTag) return { failure: 'ImageNotFound' };
  if (id.imageDigest === undefined) return byTag ? { image: byTag } : { failure: 'ImageNotFound' };
  if (byTag) return byTag.digest === id.imageDigest ? { image: byTag } : { failure: 'ImageTagDoesNotMatchDigest' };
  const tagged = all.find((image) => image.digest === id.imageDigest);
  if (tagged) return { image: tagged };
  // An untagged manifest is not in any tag list; ask for it by digest.
  const registry = client(ctx);
  const manifest = registry ? await registry.manifest(repository.repositoryName, id.imageDigest) : undefined;
  return manifest ? { image: remember(ctx, repository.repositoryName, manifest, []) } : { failure: 'ImageNotFound' };
}

export async function requireImage(ctx: Context, repository: RepositoryRecord, id: ImageId): Promise<StoredImage> {
  const resolved = await resolveImage(ctx, repository, id);
  if ('failure' in resolved) throw imageNotFound(id, repository.repositoryName, repository.registryId);
  return resolved.image;
}
