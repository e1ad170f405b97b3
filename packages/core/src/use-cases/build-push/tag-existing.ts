import {
  BatchGetImageCommand,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { ActionFailure } from '../../common';

// Every manifest type a builder may have pushed: ECR would otherwise answer in its default type only.
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/**
 * Adds tags to an image already in the repository without pulling or pushing a layer: the manifest is read with
 * BatchGetImage and stored again under each tag with PutImage, so a promotion costs two calls a tag.
 */
export async function addTags(ecr: ECRClient, repository: string, digest: string, tags: string[], registryId?: string): Promise<void> {
  const answer = await ecr.send(
    new BatchGetImageCommand({
      repositoryName: repository,
      registryId,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: MANIFEST_TYPES,
    }),
  );
  const image = answer.images?.[0];
  if (!image?.imageManifest)
    throw new ActionFailure(
      `ECR could not return the manifest of ${repository}@${digest}: ${answer.failures?.[0]?.failureReason ?? 'no image'}.`,
    );
  for (const tag of tags) {
    try {
      await ecr.send(
        new PutImageCommand({
          repositoryName: repository,
          registryId,
          imageManifest: image.imageManifest,
          imageManifestMediaType: image.imageManifestMediaType,
          imageDigest: digest,
          imageTag: tag,
        }),
      );
    } catch (error) {
      // Someone tagged it meanwhile: the tag is where it should be.
      if (error instanceof ImageAlreadyExistsException) continue;
      if (error instanceof ImageTagAlreadyExistsException) {
        throw new ActionFailure(
          `Tag ${tag} already names another image in ${repository}, and the repository's tags are immutable; drop it from 'tags' or use a tag per release.`,
        );
      }
      throw error;
    }
  }
}
