/**
 * PutImage: stores a manifest under a tag (ECR API reference, PutImage), the way a tag is added to an image
 * that is already pushed. Tags of an IMMUTABLE repository cannot be moved, except those matching an
 * exclusion filter of IMMUTABLE_WITH_EXCLUSION (`*` is the only wildcard).
 */
import { createHash } from 'node:crypto';
import type { Context } from '../context';
import { imageAlreadyExists, imageTagAlreadyExists, invalidEcrParameter } from './errors';
import { optional, requireString } from './params';
import { listImages } from './images';
import { RegistryClient } from './registry-client';
import type { RepositoryRecord } from './state';

type Json = Record<string, unknown>;

function excluded(repository: RepositoryRecord, tag: string): boolean {
  return (repository.imageTagMutabilityExclusionFilters ?? []).some(({ filter }) => {
    const pattern = new RegExp(
      `^${filter
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return pattern.test(tag);
  });
}

export function tagIsImmutable(repository: RepositoryRecord, tag: string): boolean {
  if (repository.imageTagMutability === 'IMMUTABLE') return true;
  if (repository.imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION') return !excluded(repository, tag);
  if (repository.imageTagMutability === 'MUTABLE_WITH_EXCLUSION') return excluded(repository, tag);
  return false;
}

export async function putImage(ctx: Context, repository: RepositoryRecord, input: Json): Promise<Json> {
  const manifest = requireString(input, 'imageManifest');
  const tag = optional<string>(input, 'imageTag');
  if (!tag) throw invalidEcrParameter('PutImage without an imageTag is not supported by the sandbox.');
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  if (input.imageDigest !== undefined && input.imageDigest !== digest)
    throw invalidEcrParameter(`The imageDigest '${String(input.imageDigest)}' does not match the digest of the manifest, '${digest}'.`);
  let mediaType = optional<string>(input, 'imageManifestMediaType');
  mediaType ??= (JSON.parse(manifest) as { mediaType?: string }).mediaType;
  if (!mediaType) throw invalidEcrParameter('imageManifestMediaType is required when the manifest names no mediaType.');

  const current = (await listImages(ctx, repository)).find((image) => image.tags.includes(tag));
  if (current?.digest === digest) throw imageAlreadyExists(digest, tag, repository.repositoryName, repository.registryId);
  if (current && tagIsImmutable(repository, tag)) throw imageTagAlreadyExists(tag, repository.repositoryName);
  if (!ctx.ecr.registry) throw invalidEcrParameter('The sandbox has no registry to store images in.');
  await new RegistryClient(ctx.ecr.registry).putManifest(repository.repositoryName, tag, manifest, mediaType);
  return {
    image: {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageId: { imageDigest: digest, imageTag: tag },
      imageManifest: manifest,
      imageManifestMediaType: mediaType,
    },
  };
}
