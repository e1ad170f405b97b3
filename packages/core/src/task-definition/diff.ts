import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { canonicalJson, normalise } from './compare';
import type { RegistrableDefinition } from './strip';

/**
 * What changes between the live revision and the rendered one, for a person reading the job log.
 * Environment variables and secrets are listed by name only: their values may be credentials. A secret that replaces
 * a variable is named with its reference (an ARN or parameter name, which holds nothing of the value).
 */
export function describeChanges(live: RegistrableDefinition | undefined, next: RegistrableDefinition): string[] {
  if (!live) return ['new task definition family (no live revision to compare with)'];
  const lines: string[] = [];
  const before = normalise(live);
  const after = normalise(next);
  for (const field of ['cpu', 'memory'] as const) {
    if (before[field] !== after[field]) lines.push(`task ${field}: ${show(before[field])} → ${show(after[field])}`);
  }
  const oldContainers = containersByName(before);
  const newContainers = containersByName(after);
  for (const [name, container] of newContainers) {
    const previous = oldContainers.get(name);
    if (!previous) {
      lines.push(`container ${name}: added (image ${container.image})`);
      continue;
    }
    lines.push(...containerChanges(name, previous, container));
  }
  for (const name of oldContainers.keys()) {
    if (!newContainers.has(name)) lines.push(`container ${name}: removed`);
  }
  const otherFields = changedKeys(before, after, ['cpu', 'memory', 'containerDefinitions']);
  if (otherFields.length) lines.push(`other task definition fields changed: ${otherFields.join(', ')}`);
  return lines;
}

function containerChanges(name: string, before: ContainerDefinition, after: ContainerDefinition): string[] {
  const lines: string[] = [];
  if (before.image !== after.image) lines.push(`container ${name}: image ${before.image} → ${after.image}`);
  for (const field of ['cpu', 'memory', 'memoryReservation'] as const) {
    if (before[field] !== after[field]) lines.push(`container ${name}: ${field} ${show(before[field])} → ${show(after[field])}`);
  }
  // A variable a secret replaced is said so in one line, not as a variable removed and a secret added.
  const moved = movedToSecrets(before, after);
  const environment = namedChanges(before.environment, after.environment, (entry) => entry.value, moved);
  if (environment) lines.push(`container ${name}: environment ${environment}`);
  const secrets = namedChanges(before.secrets, after.secrets, (entry) => entry.valueFrom, moved);
  if (secrets) lines.push(`container ${name}: secrets ${secrets}`);
  for (const secret of after.secrets ?? []) {
    if (secret.name !== undefined && moved.has(secret.name)) {
      lines.push(
        `container ${name}: ${secret.name} is now a secret from ${secret.valueFrom}; the plain-text environment variable of that name is removed`,
      );
    }
  }
  const other = changedKeys(before as Record<string, unknown>, after as Record<string, unknown>, [
    'image',
    'cpu',
    'memory',
    'memoryReservation',
    'environment',
    'secrets',
  ]);
  if (other.length) lines.push(`container ${name}: also changed ${other.join(', ')}`);
  return lines;
}

/** "+ADDED ~CHANGED -REMOVED" by name; values are compared but never shown. */
function namedChanges<T extends { name?: string }>(
  before: T[] | undefined,
  after: T[] | undefined,
  valueOf: (entry: T) => unknown,
  leftOut: Set<string>,
): string {
  const kept = (entries: T[] | undefined) => (entries ?? []).filter((entry) => entry.name === undefined || !leftOut.has(entry.name));
  const old = new Map(kept(before).map((entry) => [entry.name, valueOf(entry)]));
  const next = new Map(kept(after).map((entry) => [entry.name, valueOf(entry)]));
  const parts: string[] = [];
  for (const [name, value] of next) {
    if (!old.has(name)) parts.push(`+${name}`);
    else if (old.get(name) !== value) parts.push(`~${name}`);
  }
  for (const name of old.keys()) if (!next.has(name)) parts.push(`-${name}`);
  return parts.join(' ');
}

/** Names that were variables and are now secrets instead (a variable left beside its secret does not count). */
function movedToSecrets(before: ContainerDefinition, after: ContainerDefinition): Set<string> {
  const names = (entries: Array<{ name?: string }> | undefined) => new Set((entries ?? []).map((entry) => entry.name));
  const [wasVariable, isVariable, wasSecret] = [names(before.environment), names(after.environment), names(before.secrets)];
  return new Set(
    (after.secrets ?? [])
      .map((secret) => secret.name)
      .filter((name): name is string => name !== undefined && wasVariable.has(name) && !isVariable.has(name) && !wasSecret.has(name)),
  );
}

function containersByName(definition: Record<string, unknown>): Map<string, ContainerDefinition> {
  const containers = (definition.containerDefinitions as ContainerDefinition[] | undefined) ?? [];
  return new Map(containers.map((container) => [String(container.name), container]));
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>, ignore: string[]): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !ignore.includes(key) && key !== 'name')
    .filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
    .sort();
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : String(value);
}
