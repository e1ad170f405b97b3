import { BatchGetImageCommand, DescribeImagesCommand, type ECRClient, type ImageDetail, type ImageIdentifier } from '@aws-sdk/client-ecr';
import { errorMessage, isAccessDenied } from '../../common/errors';
import { deniedAction } from '../check-errors';
import type { EcrImage } from './image-location';
import type { ImageOutcome } from './outcome';
import { architectureProblem, isIndex } from './platforms';

/** IAM's words when a resource-based policy, not the caller's own, is what refused the call. */
const RESOURCE_POLICY_REFUSAL = /no resource-based policy allows|explicit deny in a resource-based policy/;

/** How many of the repository's newest tags a missing image's message names. */
const NEWEST_TAGS = 5;

/**
 * The image exists in its ECR repository (DescribeImages by tag or digest, in the registry of the account its host
 * names), and when its manifest is an index, the index has the task's architecture (BatchGetImage: DescribeImages
 * says only the media type). ECR answers ImageNotFoundException for an absent tag or digest and
 * RepositoryNotFoundException for an absent repository (ECR API reference, DescribeImages, Errors).
 */
export async function lookUpEcrImage(ecr: ECRClient, image: EcrImage, cpuArchitecture: string | undefined): Promise<ImageOutcome> {
  const imageId: ImageIdentifier = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag };
  const where = `repository ${image.repository} of registry ${image.registryId} (${image.region})`;
  let detail: ImageDetail | undefined;
  try {
    const described = await ecr.send(
      new DescribeImagesCommand({ registryId: image.registryId, repositoryName: image.repository, imageIds: [imageId] }),
    );
    detail = described.imageDetails?.[0];
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ImageNotFoundException') {
      const newest = await newestTags(ecr, image);
      return {
        status: 'fail',
        text: `runs ${image.image}, which is not in ${where}: ${newest}`,
        fix: 'Push the image, or correct the tag or digest.',
      };
    }
    if (name === 'RepositoryNotFoundException')
      return {
        status: 'fail',
        text: `runs ${image.image}, whose repository ${image.repository} does not exist in registry ${image.registryId} (${image.region})`,
        fix: 'Correct the repository (or the account and region of its host), or create it and push the image.',
      };
    return notChecked(image, error, 'ecr:DescribeImages');
  }
  if (!detail) return notChecked(image, new Error('DescribeImages answered no image'), 'ecr:DescribeImages');
  const found = `runs ${image.image} (${detail.imageDigest})`;
  if (!isIndex(detail.imageManifestMediaType)) return { status: 'pass', text: found };
  try {
    const fetched = await ecr.send(
      new BatchGetImageCommand({
        registryId: image.registryId,
        repositoryName: image.repository,
        imageIds: [{ imageDigest: detail.imageDigest }],
        acceptedMediaTypes: [detail.imageManifestMediaType as string],
      }),
    );
    const manifest = fetched.images?.[0]?.imageManifest;
    // *Unconfirmed*: the API reference lists only single-image types as acceptedMediaTypes' valid values, while
    // docker pulls indexes from ECR by asking for them. Whatever ECR answers that is not the index (a failure, an
    // error, another manifest) leaves the architectures unchecked, a warning: never a failure on a guess.
    const answeredType = fetched.images?.[0]?.imageManifestMediaType ?? detail.imageManifestMediaType;
    if (!manifest || !isIndex(answeredType) || !manifest.includes('"manifests"'))
      return notChecked(
        image,
        new Error(fetched.failures?.[0]?.failureReason ?? 'BatchGetImage answered no index'),
        'ecr:BatchGetImage',
        `${found}, whose architectures were not checked`,
      );
    const problem = architectureProblem(manifest, cpuArchitecture);
    if (problem)
      return {
        status: 'fail',
        text: `runs ${image.image}, but ${problem}`,
        fix: 'Build the image for that architecture too (build-push platforms), or set runtimePlatform.cpuArchitecture to one it has.',
      };
    return { status: 'pass', text: `${found}, an index with the task's architecture` };
  } catch (error) {
    return notChecked(image, error, 'ecr:BatchGetImage', `${found}, whose architectures were not checked`);
  }
}

/** The repository's newest tags, for the message of a missing image; said plainly when they cannot be read. */
async function newestTags(ecr: ECRClient, image: EcrImage): Promise<string> {
  try {
    const listed = await ecr.send(
      new DescribeImagesCommand({
        registryId: image.registryId,
        repositoryName: image.repository,
        filter: { tagStatus: 'TAGGED' },
        maxResults: 1000,
      }),
    );
    const images = [...(listed.imageDetails ?? [])].sort(
      (a, b) => new Date(b.imagePushedAt ?? 0).getTime() - new Date(a.imagePushedAt ?? 0).getTime(),
    );
    const tags = images.flatMap((detail) => detail.imageTags ?? []).slice(0, NEWEST_TAGS);
    return tags.length ? `its newest tags are ${tags.join(', ')}` : 'the repository holds no tagged image';
  } catch {
    return 'its tags could not be listed';
  }
}

/** A look-up that got no answer: a warning naming the permission (AccessDenied) or the error, never a failure. */
function notChecked(image: EcrImage, error: unknown, call: string, lead = `runs ${image.image}, not checked`): ImageOutcome {
  if (isAccessDenied(error)) {
    const permission = deniedAction(error) ?? call;
    // Another account's repository answers only what its own repository policy grants the caller, whatever the
    // role's policy says (ECR user guide, "Private repository policies"); IAM's refusal then says no
    // resource-based policy allows it (IAM user guide, "Troubleshoot access denied error messages").
    if (RESOURCE_POLICY_REFUSAL.test(errorMessage(error)))
      return {
        status: 'warn',
        text: `${lead}: the repository policy of ${image.repository} in account ${image.registryId} does not grant ${permission}`,
        fix: `Have that account's repository policy grant this account ${permission} (and the task execution role its pulls) to have it checked.`,
      };
    return { status: 'warn', text: `${lead}: the role may not call ${permission}`, fix: `Grant ${permission} to have it checked.` };
  }
  return { status: 'warn', text: `${lead}: ${call.replace('ecr:', '')} answered ${(error as Error).name}: ${errorMessage(error)}` };
}
