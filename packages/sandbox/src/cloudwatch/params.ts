/** Typed readers of CloudWatch's JSON parameters, answering a missing one with CloudWatch's MissingParameter. */
import { missing } from './errors';

type Params = Record<string, unknown>;

/** A required member of any type: absent is "The parameter NAME is required." */
export function requireParam(params: Params, name: string): unknown {
  if (params[name] === undefined) throw missing(name);
  return params[name];
}

/** A required string: absent or empty is MissingParameter too, as CloudWatch treats an empty name. */
export function requireString(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw missing(name);
  return value;
}

export const optionalString = (params: Params, name: string): string | undefined => params[name] as string | undefined;
export const optionalStrings = (params: Params, name: string): string[] | undefined => params[name] as string[] | undefined;
