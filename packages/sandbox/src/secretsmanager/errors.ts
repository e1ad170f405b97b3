/** Secrets Manager's exceptions, with the messages it writes (AWS Secrets Manager API reference, each operation's Errors). */
import { AwsError } from '../errors';

export const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
export const valueNotFound = (what: string) =>
  new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`);
export const exists = (name: string) =>
  new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const invalidRequest = (message: string) => new AwsError('InvalidRequestException', message);
/**
 * A secret of another account that grants this one nothing: a cross-account caller needs the secret's resource
 * policy to allow it (user guide, "Access AWS Secrets Manager secrets from a different account"). The wording
 * follows IAM's refusals; that Secrets Manager answers so, rather than ResourceNotFoundException, is *unconfirmed*.
 */
export const otherAccountDenied = (principal: string, action: string, secretId: string) =>
  new AwsError(
    'AccessDeniedException',
    `User: ${principal} is not authorized to perform: ${action} on resource: ${secretId} because no resource-based policy allows the ${action} action`,
  );
