/** Application Auto Scaling's exceptions (Application Auto Scaling API reference, each operation's Errors). */
import { AwsError } from '../errors';

export const validation = (message: string) => new AwsError('ValidationException', message);
export const objectNotFound = (message: string) => new AwsError('ObjectNotFoundException', message);
export const invalidNextToken = () => new AwsError('InvalidNextTokenException', 'Invalid token');
