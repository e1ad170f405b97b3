/** CloudWatch Logs' exceptions, with the messages it writes. */
import { AwsError } from '../errors';

export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const groupNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
export const streamNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
export const groupExists = () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
export const streamExists = () => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
