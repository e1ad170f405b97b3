/**
 * Typed readers of CloudWatch Logs' JSON parameters. Logs words each missing or malformed parameter its own
 * way, so a required reader takes the service's error to throw.
 */
import type { AwsError } from '../errors';

type Params = Record<string, unknown>;

/** A string member, or `error()` when it is absent or not a string. */
export function requireString(params: Params, name: string, error: () => AwsError): string {
  const value = params[name];
  if (typeof value !== 'string') throw error();
  return value;
}

/** A string member; undefined when absent or not a string. */
export const optionalString = (params: Params, name: string): string | undefined =>
  typeof params[name] === 'string' ? (params[name] as string) : undefined;
/** A member as the SDK sends it (a number, a string); no check beyond presence. */
export const optional = <T>(params: Params, name: string): T | undefined => params[name] as T | undefined;
/** A list member; undefined when absent or not a list. */
export const optionalList = <T>(params: Params, name: string): T[] | undefined =>
  Array.isArray(params[name]) ? (params[name] as T[]) : undefined;
