import type { ContainerDefinition, KeyValuePair } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import type { KeyValue } from '../common/inputs';
import type { RegistrableDefinition } from './strip';

export interface ContainerChanges {
  /** The `container` input; optional when the definition has exactly one container. */
  container?: string;
  image?: string;
  environment?: KeyValue[];
}

/** Picks the container to change, or explains which names exist. */
export function selectContainer(definition: RegistrableDefinition, requested?: string): ContainerDefinition {
  const containers = definition.containerDefinitions ?? [];
  const names = containers.map((c) => c.name ?? '(unnamed)');
  if (requested !== undefined) {
    const match = containers.find((c) => c.name === requested);
    if (!match) {
      throw new ConfigurationError(
        `Input 'container' names "${requested}", but task definition family ${definition.family} has ${describeNames(names)}.`,
        'container',
      );
    }
    return match;
  }
  if (containers.length === 1) return containers[0];
  throw new ConfigurationError(
    `Input 'container' is required because task definition family ${definition.family} has ${describeNames(names)}; set it to the one to change.`,
    'container',
  );
}

function describeNames(names: string[]): string {
  if (names.length === 0) return 'no containers';
  return `the container${names.length === 1 ? '' : 's'} ${names.map((n) => `"${n}"`).join(', ')}`;
}

/**
 * Returns a copy of the definition with the image and environment set on one container. Variables not named
 * in `environment` keep their values; named ones are replaced in place so the diff stays minimal.
 * Nothing is changed (and no container is required) when neither an image nor environment is given.
 */
export function renderTaskDefinition(definition: RegistrableDefinition, changes: ContainerChanges): RegistrableDefinition {
  const copy = structuredClone(definition);
  const hasChanges = changes.image !== undefined || (changes.environment?.length ?? 0) > 0;
  if (!hasChanges && changes.container === undefined) return copy;
  const target = selectContainer(copy, changes.container);
  if (changes.image !== undefined) target.image = changes.image;
  if (changes.environment?.length) target.environment = mergeEnvironment(target.environment ?? [], changes.environment);
  return copy;
}

export function mergeEnvironment(current: KeyValuePair[], updates: KeyValue[]): KeyValuePair[] {
  const merged = current.map((pair) => ({ ...pair }));
  for (const { name, value } of updates) {
    const existing = merged.find((pair) => pair.name === name);
    if (existing) existing.value = value;
    else merged.push({ name, value });
  }
  return merged;
}
