/**
 * ECR Public's exceptions (ECR Public API reference, "Errors" of each operation). Their names are the API's; the
 * messages are worded as private ECR words the same exceptions (*unconfirmed* for ECR Public).
 */
import { AwsError } from '../errors';

// Worded as private ECR words them, so the same constructors (*unconfirmed* for ECR Public).
export { repositoryNotFound as publicRepositoryNotFound, repositoryExists as publicRepositoryExists } from '../ecr/errors';

export const registryNotFound = (registryId: string) =>
  new AwsError('RegistryNotFoundException', `The registry with id '${registryId}' does not exist`);

export const invalidPublicParameter = (message: string) => new AwsError('InvalidParameterException', message);
