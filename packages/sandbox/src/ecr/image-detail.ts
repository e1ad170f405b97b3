import type { Json } from '../ecs/state';
import { seconds } from '../ecs/render';
import type { StoredImage } from './images';

/**
 * The ImageDetail fields private ECR and ECR Public share (each API reference, ImageDetail); private ECR adds the
 * scan's status and findings summary to them.
 */
export function imageDetail(repository: { registryId: string; repositoryName: string }, image: StoredImage): Json {
  return {
    registryId: repository.registryId,
    repositoryName: repository.repositoryName,
    imageDigest: image.digest,
    ...(image.tags.length ? { imageTags: image.tags } : {}),
    imageSizeInBytes: image.manifest.sizeInBytes,
    imagePushedAt: seconds(image.pushedAt),
    imageManifestMediaType: image.manifest.mediaType,
    ...(image.manifest.artifactMediaType ? { artifactMediaType: image.manifest.artifactMediaType } : {}),
  };
}
