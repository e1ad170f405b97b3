/**
 * EventBridge Scheduler's exceptions (API reference, Common Errors and each operation's Errors), with their HTTP
 * statuses: ValidationException 400, ResourceNotFoundException 404, ConflictException 409. The wording of the
 * not-found and conflict messages ("Schedule <name> does not exist.") is *unconfirmed*.
 */
import { AwsError } from '../errors';

export const validation = (message: string) => new AwsError('ValidationException', message, 400);
export const scheduleNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
export const groupNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Schedule group ${name} does not exist.`, 404);
export const scheduleExists = (name: string) => new AwsError('ConflictException', `Schedule ${name} already exists.`, 409);
export const groupExists = (name: string) => new AwsError('ConflictException', `Schedule group ${name} already exists.`, 409);
