/** ECR's exceptions, with the messages ECR writes (ECR API reference, "Errors" of each operation). */
import { AwsError } from '../errors';

export interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

const describeId = (id: ImageId) => `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;

export const repositoryNotFound = (name: string, registryId: string) =>
  new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);

export const repositoryExists = (name: string, registryId: string) =>
  new AwsError(
    'RepositoryAlreadyExistsException',
    `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
  );

export const imageNotFound = (id: ImageId, repository: string, registryId: string) =>
  new AwsError(
    'ImageNotFoundException',
    `The image with imageId ${describeId(id)} does not exist within the repository with name '${repository}' in the registry with id '${registryId}'`,
  );

export const scanNotFound = (id: ImageId, repository: string, registryId: string) =>
  new AwsError(
    'ScanNotFoundException',
    `Image scan does not exist for the image with '${describeId(id)}' in the repository with name '${repository}' in the registry with id '${registryId}'`,
  );

export const invalidEcrParameter = (message: string) => new AwsError('InvalidParameterException', message);

/** A required member left out. */
export const notNull = (member: string) =>
  invalidEcrParameter(`Invalid parameter at '${member}' failed to satisfy constraint: 'Member must not be null'`);

export const imageAlreadyExists = (digest: string, tag: string, repository: string, registryId: string) =>
  new AwsError(
    'ImageAlreadyExistsException',
    `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repository}' in registry with id '${registryId}'`,
  );

export const imageTagAlreadyExists = (tag: string, repository: string) =>
  new AwsError(
    'ImageTagAlreadyExistsException',
    `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
  );
