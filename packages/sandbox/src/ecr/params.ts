/** Typed readers of ECR's JSON parameters, answering a missing required member with ECR's own wording. */
import { notNull } from './errors';

type Params = Record<string, unknown>;

/** A required member: absent (or empty) is "Invalid parameter at 'NAME' failed to satisfy constraint: 'Member must not be null'". */
export function requireMember<T>(params: Params, name: string): T {
  const value = params[name];
  if (!value) throw notNull(name);
  return value as T;
}

/** A required non-empty string member. */
export function requireString(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw notNull(name);
  return value;
}

export const optional = <T>(params: Params, name: string): T | undefined => params[name] as T | undefined;
