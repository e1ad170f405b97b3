import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { canonicalJson, normalise } from './compare';
import type { RegistrableDefinition } from './strip';

/** One key whose value differs between two revisions; undefined on the side that leaves it out. */
export interface FieldDifference {
  field: string;
  before: unknown;
  after: unknown;
}

/** A list of named entries (environment variables, secrets) compared by name: which names came, changed, went. */
export interface NamedDifferences {
  added: string[];
  changed: string[];
  removed: string[];
}

/** A container both revisions have, and what differs in it. */
export interface ContainerDifference {
  name: string;
  /** Keys other than name, environment and secrets, sorted (image, cpu, command, healthCheck ...). */
  fields: FieldDifference[];
  environment: NamedDifferences;
  secrets: NamedDifferences;
  /** Variables of `before` that are secrets of `after` instead, with the secret's reference (never a value). */
  moved: Array<{ name: string; valueFrom: string }>;
}

/**
 * What differs between two revisions, after both are normalised (ECS's echoed defaults and list order do not count):
 * the one engine behind the deploy's change list (describeChanges) and the drift report of compare-with
 * (describeDrift). It keeps values, for the change list's task cpu and images; a reader that prints names only
 * takes the names.
 */
export interface DefinitionDifferences {
  /** Task-level keys other than containerDefinitions, sorted. */
  fields: FieldDifference[];
  /** Containers only `after` has, and only `before` has, in name order. */
  added: ContainerDefinition[];
  removed: ContainerDefinition[];
  /** Containers both have that differ, in name order. */
  changed: ContainerDifference[];
}

export function diffDefinitions(before: RegistrableDefinition, after: RegistrableDefinition): DefinitionDifferences {
  const left = normalise(before);
  const right = normalise(after);
  const oldContainers = containersByName(left);
  const newContainers = containersByName(right);
  const changed: ContainerDifference[] = [];
  for (const [name, container] of newContainers) {
    const previous = oldContainers.get(name);
    if (!previous) continue;
    const difference = diffContainer(name, previous, container);
    if (difference.fields.length || hasNamed(difference.environment) || hasNamed(difference.secrets)) changed.push(difference);
  }
  return {
    fields: differingFields(left, right, ['containerDefinitions']),
    added: [...newContainers].filter(([name]) => !oldContainers.has(name)).map(([, container]) => container),
    removed: [...oldContainers].filter(([name]) => !newContainers.has(name)).map(([, container]) => container),
    changed,
  };
}

/**
 * What changes between the live revision and the rendered one, for a person reading the job log.
 * Environment variables and secrets are listed by name only: their values may be credentials. A secret that replaces
 * a variable is named with its reference (an ARN or parameter name, which holds nothing of the value).
 */
export function describeChanges(live: RegistrableDefinition | undefined, next: RegistrableDefinition): string[] {
  if (!live) return ['new task definition family (no live revision to compare with)'];
  const differences = diffDefinitions(live, next);
  const lines: string[] = [];
  const shown = ['cpu', 'memory'];
  for (const { field, before, after } of differences.fields.filter(({ field }) => shown.includes(field))) {
    lines.push(`task ${field}: ${show(before)} → ${show(after)}`);
  }
  // Containers in name order, each added one or its changes; removed ones after.
  const containers = [
    ...differences.added.map((container) => ({ name: String(container.name), added: container })),
    ...differences.changed.map((difference) => ({ name: difference.name, difference })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of containers) {
    if ('added' in entry) lines.push(`container ${entry.name}: added (image ${entry.added.image})`);
    else lines.push(...containerChanges(entry.difference));
  }
  for (const container of differences.removed) lines.push(`container ${container.name}: removed`);
  const otherFields = differences.fields.filter(({ field }) => !shown.includes(field)).map(({ field }) => field);
  if (otherFields.length) lines.push(`other task definition fields changed: ${otherFields.join(', ')}`);
  return lines;
}

const CONTAINER_VALUES_SHOWN = ['image', 'cpu', 'memory', 'memoryReservation'];

function containerChanges({ name, fields, environment, secrets, moved }: ContainerDifference): string[] {
  const lines: string[] = [];
  for (const field of CONTAINER_VALUES_SHOWN) {
    const difference = fields.find((candidate) => candidate.field === field);
    if (!difference) continue;
    lines.push(
      field === 'image'
        ? `container ${name}: image ${difference.before} → ${difference.after}`
        : `container ${name}: ${field} ${show(difference.before)} → ${show(difference.after)}`,
    );
  }
  // A variable a secret replaced is said so in one line, not as a variable removed and a secret added.
  const movedNames = new Set(moved.map((entry) => entry.name));
  const kept = (named: NamedDifferences): NamedDifferences => ({
    added: named.added.filter((entry) => !movedNames.has(entry)),
    changed: named.changed.filter((entry) => !movedNames.has(entry)),
    removed: named.removed.filter((entry) => !movedNames.has(entry)),
  });
  if (hasNamed(kept(environment))) lines.push(`container ${name}: environment ${namedSummary(kept(environment))}`);
  if (hasNamed(kept(secrets))) lines.push(`container ${name}: secrets ${namedSummary(kept(secrets))}`);
  for (const secret of moved)
    lines.push(
      `container ${name}: ${secret.name} is now a secret from ${secret.valueFrom}; the plain-text environment variable of that name is removed`,
    );
  const other = fields.filter(({ field }) => !CONTAINER_VALUES_SHOWN.includes(field)).map(({ field }) => field);
  if (other.length) lines.push(`container ${name}: also changed ${other.join(', ')}`);
  return lines;
}

function diffContainer(name: string, before: ContainerDefinition, after: ContainerDefinition): ContainerDifference {
  return {
    name,
    fields: differingFields(before as Record<string, unknown>, after as Record<string, unknown>, ['environment', 'secrets']),
    environment: namedDifferences(before.environment, after.environment, (entry) => entry.value),
    secrets: namedDifferences(before.secrets, after.secrets, (entry) => entry.valueFrom),
    moved: (after.secrets ?? [])
      .filter((secret) => secret.name !== undefined && movedToSecrets(before, after).has(secret.name))
      .map((secret) => ({ name: String(secret.name), valueFrom: String(secret.valueFrom) })),
  };
}

/** Compared by name; values are compared but never kept. */
function namedDifferences<T extends { name?: string }>(
  before: T[] | undefined,
  after: T[] | undefined,
  valueOf: (entry: T) => unknown,
): NamedDifferences {
  const old = new Map((before ?? []).map((entry) => [String(entry.name), valueOf(entry)]));
  const next = new Map((after ?? []).map((entry) => [String(entry.name), valueOf(entry)]));
  return {
    added: [...next.keys()].filter((name) => !old.has(name)),
    changed: [...next].filter(([name, value]) => old.has(name) && old.get(name) !== value).map(([name]) => name),
    removed: [...old.keys()].filter((name) => !next.has(name)),
  };
}

export function hasNamed({ added, changed, removed }: NamedDifferences): boolean {
  return added.length + changed.length + removed.length > 0;
}

/** "+ADDED ~CHANGED -REMOVED". */
function namedSummary({ added, changed, removed }: NamedDifferences): string {
  // The added and changed in name order (the order normalise lists them in), then the removed.
  const present = [...added.map((name) => ({ name, mark: '+' })), ...changed.map((name) => ({ name, mark: '~' }))];
  present.sort((a, b) => a.name.localeCompare(b.name));
  return [...present.map(({ name, mark }) => `${mark}${name}`), ...removed.map((name) => `-${name}`)].join(' ');
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

function differingFields(before: Record<string, unknown>, after: Record<string, unknown>, ignore: string[]): FieldDifference[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !ignore.includes(key) && key !== 'name')
    .filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
    .sort()
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : String(value);
}
