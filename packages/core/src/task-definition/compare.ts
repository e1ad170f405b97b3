import type { ContainerDefinition, HealthCheck, PortMapping } from '@aws-sdk/client-ecs';
import { isPlainObject, stripTaskDefinition, type RegistrableDefinition } from './strip';

/**
 * Whether registering `candidate` would create a revision that runs the same as `existing`.
 * ECS echoes defaults it filled in (essential: true, cpu: 0, protocol: tcp, ...) and keeps lists in the
 * order given, so both sides are normalised first; tags are registration metadata and do not count.
 */
export function sameTaskDefinition(existing: RegistrableDefinition, candidate: RegistrableDefinition): boolean {
  return canonicalJson(normalise(existing)) === canonicalJson(normalise(candidate));
}

export function normalise(definition: RegistrableDefinition): Record<string, unknown> {
  const copy = stripTaskDefinition(structuredClone(definition) as unknown as Record<string, unknown>) as unknown as Record<string, unknown>;
  delete copy.tags;
  if (copy.enableFaultInjection === false) delete copy.enableFaultInjection;
  // ECS stores task-level cpu and memory as units ("1 vCPU" becomes "1024", "2 GB" becomes "2048").
  if (typeof copy.cpu === 'string') copy.cpu = cpuUnits(copy.cpu);
  if (typeof copy.memory === 'string') copy.memory = memoryMiB(copy.memory);
  const awsvpc = copy.networkMode === 'awsvpc';
  copy.containerDefinitions = ((copy.containerDefinitions as ContainerDefinition[] | undefined) ?? [])
    .map((container) => normaliseContainer(container, awsvpc))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return stripTaskDefinition(copy) as unknown as Record<string, unknown>;
}

function normaliseContainer(container: ContainerDefinition, awsvpc: boolean): ContainerDefinition {
  const copy: ContainerDefinition = { ...container };
  if (copy.essential === true) delete copy.essential;
  if (copy.cpu === 0) delete copy.cpu;
  if (copy.environment) copy.environment = [...copy.environment].sort(byName);
  if (copy.secrets) copy.secrets = [...copy.secrets].sort(byName);
  if (copy.portMappings) copy.portMappings = copy.portMappings.map((mapping) => normalisePort(mapping, awsvpc));
  if (copy.healthCheck) copy.healthCheck = normaliseHealthCheck(copy.healthCheck);
  return copy;
}

/**
 * ECS fills in interval 30, timeout 5 and retries 3 when a health check leaves them out, and echoes them in
 * DescribeTaskDefinition; startPeriod is off by default, so 0 means the same as leaving it out
 * (API reference, HealthCheck).
 */
const HEALTH_CHECK_DEFAULTS = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 } as const;

function normaliseHealthCheck(check: HealthCheck): HealthCheck {
  const copy: HealthCheck = { ...check };
  for (const [field, value] of Object.entries(HEALTH_CHECK_DEFAULTS) as [keyof typeof HEALTH_CHECK_DEFAULTS, number][]) {
    if (copy[field] === value) delete copy[field];
  }
  return copy;
}

function normalisePort(mapping: PortMapping, awsvpc: boolean): PortMapping {
  const copy: PortMapping = { ...mapping };
  if (copy.protocol === 'tcp') delete copy.protocol;
  // In awsvpc mode ECS sets hostPort to containerPort when it is left out; in bridge mode 0 means dynamic.
  if (awsvpc && copy.hostPort === copy.containerPort) delete copy.hostPort;
  if (!awsvpc && copy.hostPort === 0) delete copy.hostPort;
  return copy;
}

export function cpuUnits(value: string): string {
  const vcpu = /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value);
  return vcpu ? String(Math.round(Number(vcpu[1]) * 1024)) : value.trim();
}

export function memoryMiB(value: string): string {
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  if (gb) return String(Math.round(Number(gb[1]) * 1024));
  const mb = /^\s*(\d+)\s*mb\s*$/i.exec(value);
  return mb ? mb[1] : value.trim();
}

function byName(a: { name?: string }, b: { name?: string }): number {
  return String(a.name).localeCompare(String(b.name));
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}
