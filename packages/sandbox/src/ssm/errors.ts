/** SSM's exceptions, with the messages it writes (AWS Systems Manager API reference, each operation's Errors). */
import { AwsError } from '../errors';

export const validation = (message: string) => new AwsError('ValidationException', message);
export const parameterExists = () =>
  new AwsError(
    'ParameterAlreadyExists',
    'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
  );
export const invalidFilterKey = (key: string) => new AwsError('InvalidFilterKey', `The following filter key is not valid: ${key}`);
export const invalidFilterOption = (option: string) =>
  new AwsError('InvalidFilterOption', `The following filter option is not valid: ${option}. Valid options include: [Equals, BeginsWith].`);
export const invalidNextToken = () => new AwsError('InvalidNextToken', 'The specified token is not valid.');
