import type { ContainerDefinition, KeyValuePair, Secret } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import type { ContainerImage, ContainerKeyValue, KeyValue } from '../common/inputs';
import type { RegistrableDefinition } from './strip';

/** What the step sets on one container. */
export interface ContainerChanges {
  image?: string;
  environment: KeyValue[];
  /** `value` is the secret's reference, its `valueFrom`: never the secret itself. */
  secrets: KeyValue[];
}

/** What the step's inputs change in a revision: the default container's image and lines, and other containers'. */
export interface RevisionChanges {
  /** The `container` input: the default container; optional when the definition has exactly one container. */
  container?: string;
  /** The `image` input, for the default container. */
  image?: string;
  /** The `images` input: `container=image` lines. */
  images?: ContainerImage[];
  /** The `environment` input; a line without a container goes to the default one. */
  environment?: ContainerKeyValue[];
  /** The `secrets` input: NAME=REFERENCE lines; a line without a container goes to the default one. */
  secrets?: ContainerKeyValue[];
}

/** One thing the step sets itself, for a comparison that should leave it out. */
export type StepSetting = { container: string; field: 'image' } | { container: string; field: 'environment' | 'secrets'; name: string };

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
 * Returns a copy of the definition with the step's changes on each container they name. Variables and secrets not
 * named keep their values; named ones are replaced in place so the diff stays minimal. A secret replaces a variable
 * of its name (a value the step names as secret must not stay in plain text beside it). Nothing is changed (and no
 * container is required) when nothing is given. Every container named is checked against the revision, with a
 * message naming the input and its line: this runs in pre-flight (file-renders, live-revision-renders), before
 * anything in AWS changes.
 */
export function renderTaskDefinition(definition: RegistrableDefinition, changes: RevisionChanges): RegistrableDefinition {
  const copy = structuredClone(definition);
  for (const [name, change] of planChanges(copy, changes)) {
    applyChanges(copy.containerDefinitions?.find((container) => container.name === name) as ContainerDefinition, change);
  }
  return copy;
}

/**
 * What the step sets itself in this revision: each container's image, variables and secrets, and the variables a
 * secret replaces (removed). For a comparison of the live revision with a file that should leave these out.
 */
export function stepSettings(definition: RegistrableDefinition, changes: RevisionChanges): StepSetting[] {
  return [...planChanges(definition, changes)].flatMap(([container, change]): StepSetting[] => [
    ...(change.image !== undefined ? [{ container, field: 'image' as const }] : []),
    ...change.environment.map(({ name }) => ({ container, field: 'environment' as const, name })),
    ...change.secrets.flatMap(({ name }) => [
      { container, field: 'secrets' as const, name },
      { container, field: 'environment' as const, name },
    ]),
  ]);
}

/** The error for a container's image given both in `image` and in `images`. */
export function imageGivenTwice(container: string, line: number | undefined): ConfigurationError {
  return new ConfigurationError(
    `Input 'images' sets the image of container "${container}"${line === undefined ? '' : ` on line ${line}`}, which input 'image' sets too (image goes to the default container: the 'container' input, or the only one). Give its image once: in image, or in images.`,
    'images',
  );
}

/** Each container the step changes and what it sets there, checking every name against the revision. */
function planChanges(definition: RegistrableDefinition, changes: RevisionChanges): Map<string, ContainerChanges> {
  const plan = new Map<string, ContainerChanges>();
  const of = (name: string): ContainerChanges => {
    if (!plan.has(name)) plan.set(name, { environment: [], secrets: [] });
    return plan.get(name) as ContainerChanges;
  };
  const environment = changes.environment ?? [];
  const secrets = changes.secrets ?? [];
  // The default container is needed only for what has no container of its own (and checked when named).
  const unprefixed = [...environment, ...secrets].some((entry) => entry.container === undefined);
  const fallback =
    changes.image !== undefined || unprefixed || changes.container !== undefined
      ? String(selectContainer(definition, changes.container).name)
      : undefined;
  if (changes.image !== undefined) of(fallback as string).image = changes.image;
  for (const { container, image, line } of changes.images ?? []) {
    requireContainer(definition, 'images', container, line === undefined ? undefined : `line ${line}`);
    if (container === fallback && changes.image !== undefined) throw imageGivenTwice(container, line);
    of(container).image = image;
  }
  for (const [input, entries] of [
    ['environment', environment],
    ['secrets', secrets],
  ] as const) {
    for (const entry of entries) {
      const where =
        entry.line === undefined ? entry.name : `line ${entry.line} (${entry.container ? `${entry.container}:` : ''}${entry.name})`;
      if (entry.container !== undefined) requireContainer(definition, input, entry.container, where);
      const target = entry.container ?? (fallback as string);
      const list = of(target)[input];
      if (list.some(({ name }) => name === entry.name)) {
        throw new ConfigurationError(
          `Input '${input}' sets ${entry.name} on container "${target}" twice (${where} and an earlier line; a line without a container goes to "${target}"); give each name one line.`,
          input,
        );
      }
      list.push({ name: entry.name, value: entry.value });
    }
  }
  for (const [container, change] of plan) {
    const both = change.environment.find(({ name }) => change.secrets.some((secret) => secret.name === name));
    if (both) {
      throw new ConfigurationError(
        `Inputs 'environment' and 'secrets' both set ${both.name} on container "${container}": give it in one of them (in secrets its value is never stored in plain text).`,
        'secrets',
      );
    }
  }
  return plan;
}

function requireContainer(definition: RegistrableDefinition, input: string, name: string, where: string | undefined): void {
  const names = (definition.containerDefinitions ?? []).map((c) => c.name ?? '(unnamed)');
  if (names.includes(name)) return;
  throw new ConfigurationError(
    `Input '${input}'${where ? ` ${where}` : ''} names the container "${name}", but task definition family ${definition.family} has ${describeNames(names)}.`,
    input,
  );
}

function applyChanges(target: ContainerDefinition, changes: ContainerChanges): void {
  if (changes.image !== undefined) target.image = changes.image;
  if (changes.environment.length) {
    const secret = target.secrets?.find((existing) => changes.environment.some(({ name }) => name === existing.name));
    if (secret) {
      // Not quietly turned into plain text: the revision has it from a secret store for a reason.
      throw new ConfigurationError(
        `Input 'environment' sets ${secret.name} on container "${target.name}", which the revision takes from a secret (${secret.valueFrom}): its value would be stored in plain text beside it. Give it in secrets, or remove the secret from the task definition first.`,
        'environment',
      );
    }
    target.environment = mergeEnvironment(target.environment ?? [], changes.environment);
  }
  if (changes.secrets.length) {
    target.secrets = mergeSecrets(target.secrets ?? [], changes.secrets);
    // A secret wins over a variable of its name: the variable (a plain-text copy, or a stale value) goes.
    if (target.environment)
      target.environment = target.environment.filter((pair) => !changes.secrets.some(({ name }) => name === pair.name));
  }
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

/** Secrets named keep their place with the new reference; new ones are appended. */
export function mergeSecrets(current: Secret[], updates: KeyValue[]): Secret[] {
  const merged = current.map((secret) => ({ ...secret }));
  for (const { name, value } of updates) {
    const existing = merged.find((secret) => secret.name === name);
    if (existing) existing.valueFrom = value;
    else merged.push({ name, valueFrom: value });
  }
  return merged;
}
