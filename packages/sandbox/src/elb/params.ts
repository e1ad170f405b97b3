/**
 * Typed readers of ELBv2's awsQuery parameters (every scalar arrives as a string), answering a missing
 * required member with ELBv2's own ValidationError.
 */
import { booleanParam, listParam, numberParam, stringParam, type QueryInput, type QueryValue } from '../query/codec';
import { notNull } from './errors';

/** `TargetGroupArn` is `targetGroupArn` in the message, as the API model names members. */
const memberName = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** A required string member: absent or empty is the service's "Value null" ValidationError. */
export function requireString(params: QueryInput, name: string): string {
  const value = stringParam(params[name]);
  if (!value) throw notNull(memberName(name));
  return value;
}

export const optionalString = (params: QueryInput, name: string): string | undefined => stringParam(params[name]);
export const optionalNumber = (params: QueryInput, name: string): number | undefined => numberParam(params[name]);
export const optionalBoolean = (params: QueryInput, name: string): boolean | undefined => booleanParam(params[name]);
/** A list member; absent and the SDK's empty-list encoding are both []. */
export const list = <T extends QueryValue = QueryInput>(params: QueryInput, name: string): T[] => listParam(params[name]) as T[];
