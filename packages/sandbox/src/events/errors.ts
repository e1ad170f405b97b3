/**
 * EventBridge's exceptions, with the messages it writes. ResourceNotFoundException's wording is what EventBridge
 * answers DescribeRule, PutTargets and ListTargetsByRule for a rule missing from a bus ("Rule <name> does not exist on
 * EventBus <bus>."); ValidationException's is the Coral validation wording every awsJson1_1 service uses
 * ("1 validation error detected: Value ... at '<member>' failed to satisfy constraint: ...").
 */
import { AwsError } from '../errors';

export const ruleNotFound = (rule: string, bus: string) =>
  new AwsError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);
export const busNotFound = (bus: string) => new AwsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
export const busExists = (arn: string) => new AwsError('ResourceAlreadyExistsException', `Event bus ${arn} already exists.`);
export const validation = (message: string) => new AwsError('ValidationException', message);

/** The Coral wording of one failed constraint, as `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <c>`. */
export const constraint = (value: unknown, member: string, what: string) =>
  validation(
    `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${what}`,
  );
