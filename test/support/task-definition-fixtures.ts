/**
 * The task-definition fixtures (test/fixtures/task-definitions) and what a file of them must become at
 * RegisterTaskDefinition, worked out here from the file alone by the product's documented transformations, never by
 * the product's own code: the definition taken out of a describe-task-definition wrapper, its read-only fields and
 * empty values (null, [] and {}) left out, tags sent as RegisterTaskDefinition's `tags`, and the image of the
 * container the step changes replaced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, type FixtureExpectation } from '../fixtures/task-definitions/expectations';

export { FIXTURES, type FixtureExpectation };

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/task-definitions', import.meta.url));
export const fixturePath = (file: string) => join(FIXTURE_DIR, file);
export const fixtureFiles = () => readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json'));
export const readFixture = (file: string): Record<string, unknown> => JSON.parse(readFileSync(fixturePath(file), 'utf8'));

/** The fixture's family: every fixture has its own, named as its file, so each registers as revision 1. */
export const familyOf = (file: string) => file.replace(/\.json$/, '');

/** The members of a described TaskDefinition (API reference) that are no RegisterTaskDefinition parameter. */
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!isObject(value)) return value;
  const kept: Json = {};
  for (const [key, child] of Object.entries(value)) {
    const cleaned = withoutEmpty(child);
    if (cleaned === null || cleaned === undefined) continue;
    if (Array.isArray(cleaned) && cleaned.length === 0) continue;
    if (isObject(cleaned) && Object.keys(cleaned).length === 0) continue;
    kept[key] = cleaned;
  }
  return kept;
}

/** The RegisterTaskDefinition request a registered fixture must arrive as, the step's `image` on `container`. */
export function expectedRequest(file: string, image: string, container?: string): Json {
  const raw = readFixture(file);
  const wrapped = isObject(raw.taskDefinition);
  const body: Json = { ...(wrapped ? (raw.taskDefinition as Json) : raw) };
  const tags = (wrapped ? raw.tags : body.tags) as unknown[] | undefined;
  delete body.tags;
  for (const field of READ_ONLY) delete body[field];
  const request = withoutEmpty(body) as Json;
  const containers = request.containerDefinitions as Json[];
  const target = container === undefined ? containers : containers.filter((c) => c.name === container);
  if (target.length !== 1) throw new Error(`${file}: the expectation names no single container to take the image`);
  target[0].image = image;
  return tags?.length ? { ...request, tags } : request;
}

/**
 * What DescribeTaskDefinition must hold of that request: all of it but the tags (asked for apart), with the task
 * size in units as ECS stores it ("0.5 vCPU" is "512", "1 GB" is "1024": API reference, RegisterTaskDefinition).
 * ECS adds defaults beside it (essential, cpu 0, protocol tcp, a health check's interval...), which a test allows.
 */
export function expectedStored(request: Json): Json {
  const { tags: _tags, ...stored } = request;
  const units = (value: unknown, unit: RegExp) => {
    const scaled = typeof value === 'string' ? unit.exec(value.trim()) : null;
    return scaled ? String(Math.round(Number(scaled[1]) * 1024)) : value;
  };
  if (stored.cpu !== undefined) stored.cpu = units(stored.cpu, /^(\d+(?:\.\d+)?)\s*vcpu$/i);
  if (stored.memory !== undefined) stored.memory = units(stored.memory, /^(\d+(?:\.\d+)?)\s*gb$/i);
  return stored;
}
