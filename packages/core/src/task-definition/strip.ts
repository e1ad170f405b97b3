import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';

/**
 * Fields DescribeTaskDefinition returns that RegisterTaskDefinition refuses: every member of the API
 * reference's TaskDefinition that is not a RegisterTaskDefinition request parameter (deleteRequestedAt is
 * set once DeleteTaskDefinitions was called on the revision).
 */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

export type RegistrableDefinition = RegisterTaskDefinitionCommandInput;

/**
 * Turns a described (or hand-written) task definition into what RegisterTaskDefinition accepts:
 * read-only fields removed, and null, empty arrays and empty objects dropped, since the API rejects
 * some of them (an empty `volumes[].host`, a null `cpu`) and they carry no meaning.
 */
export function stripTaskDefinition(definition: TaskDefinition | Record<string, unknown>): RegistrableDefinition {
  const copy: Record<string, unknown> = { ...(definition as Record<string, unknown>) };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return dropEmpty(copy) as RegistrableDefinition;
}

function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(dropEmpty).filter((item) => item !== undefined);
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const cleaned = dropEmpty(child);
      if (cleaned === undefined || cleaned === null) continue;
      if (Array.isArray(cleaned) && cleaned.length === 0) continue;
      if (isPlainObject(cleaned) && Object.keys(cleaned).length === 0) continue;
      result[key] = cleaned;
    }
    return result;
  }
  return value ?? undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}
