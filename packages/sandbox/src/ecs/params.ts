/**
 * Typed readers of ECS's JSON parameters. ECS words each missing or malformed parameter its own way
 * (InvalidParameterException or ClientException, ecs/errors), so a required reader takes the error to throw.
 */
import type { AwsError } from '../errors';
import type { Json } from './state';

/** A non-empty string member, or `error()`. */
export function requireString(params: Json, name: string, error: () => AwsError): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw error();
  return value;
}

/** A string member; undefined when absent or not a string. */
export const optionalString = (params: Json, name: string): string | undefined =>
  typeof params[name] === 'string' ? (params[name] as string) : undefined;
