/**
 * ECR Public's exceptions (ECR Public API reference, "Errors" of each operation). Their names are the API's; the
 * messages are worded as private ECR words the same exceptions (*unconfirmed* for ECR Public).
 */
import { AwsError } from '../errors';

export const publicRepositoryNotFound = (name: string, registryId: string) =>
  new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);

export const publicRepositoryExists = (name: string, registryId: string) =>
  new AwsError(
    'RepositoryAlreadyExistsException',
    `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
  );

export const registryNotFound = (registryId: string) =>
  new AwsError('RegistryNotFoundException', `The registry with id '${registryId}' does not exist`);

export const invalidPublicParameter = (message: string) => new AwsError('InvalidParameterException', message);
