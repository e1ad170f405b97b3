/**
 * The RegisterTaskDefinition rules on images, task size, memory and ports that ECS applies at registration, with
 * the messages ECS answers (ClientException unless said otherwise), so a file real ECS refuses is refused here too.
 */
import { AwsError } from '../errors';
import { clientException, invalidParameter } from './errors';
import { asArray } from './resolve';
import type { Json } from './state';

/**
 * API reference, ContainerDefinition.image: up to 255 letters, numbers, hyphens, underscores, colons, periods,
 * forward slashes and number signs; with a digest the limit applies before the `@`, and the digest is sha256 with
 * exactly 64 hex digits. ECS answers "Container.image contains invalid characters." (as users quote it), which is
 * what an unfilled `${IMAGE}`, `<IMAGE>` or `{{ image }}` gets.
 */
const IMAGE_BY_TAG = /^[A-Za-z0-9_\-:./#]{1,255}$/;
const IMAGE_BY_DIGEST = /^([A-Za-z0-9_\-:./#]{1,255})@sha256:[A-Fa-f0-9]{64}$/;

export function checkImage(image: string): void {
  if (!IMAGE_BY_TAG.test(image) && !IMAGE_BY_DIGEST.test(image)) throw clientException('Container.image contains invalid characters.');
}

/**
 * API reference, RegisterTaskDefinition `cpu` and `memory`: CPU units or vCPUs ("1 vCPU", "1 vcpu"), MiB or GB
 * ("1GB", "1 GB"); "String values are converted to an integer indicating the CPU units [MiB] when the task
 * definition is registered." Anything else: "Invalid 'cpu' setting for task." (InvalidParameterException, as
 * users quote it for an empty cpu).
 */
export function taskUnits(value: unknown, field: 'cpu' | 'memory'): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const unit = field === 'cpu' ? /^(\d+(?:\.\d+)?)\s*vcpu$/i : /^(\d+(?:\.\d+)?)\s*gb$/i;
  const scaled = unit.exec(text);
  if (scaled) return String(Math.round(Number(scaled[1]) * 1024));
  if (/^\d+$/.test(text)) return text;
  throw invalidParameter(`Invalid '${field}' setting for task.`);
}

/**
 * Developer guide, "Task CPU and memory": the task sizes Fargate offers (Linux), by CPU units: memory in MiB from
 * `min` to `max` in steps of `step`. Any other pair: "No Fargate configuration exists for given values: 1024 CPU,
 * 1024 memory. See the Amazon ECS documentation for the valid values." (as users quote it).
 */
const steps = (min: number, max: number, step: number) => Array.from({ length: (max - min) / step + 1 }, (_, i) => min + i * step);
const FARGATE_SIZES: Record<string, number[]> = {
  '256': [512, 1024, 2048],
  '512': steps(1024, 4096, 1024),
  '1024': steps(2048, 8192, 1024),
  '2048': steps(4096, 16384, 1024),
  '4096': steps(8192, 30720, 1024),
  '8192': steps(16384, 61440, 4096),
  '16384': steps(32768, 122880, 8192),
};

export function checkFargateSize(cpu: string, memory: string): void {
  if (!FARGATE_SIZES[cpu]?.includes(Number(memory)))
    throw clientException(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
}

/**
 * API reference, ContainerDefinition `memory` and `memoryReservation`, with the messages users quote:
 * - no container's memory may be above the task's: "The 'memory' setting for container 'worker' is greater than for
 *   the task.";
 * - the memory reserved for all containers (memoryReservation, else memory) must fit in the task's: "The sum of all
 *   container 'memoryReservation' values cannot be greater than the value of the task 'memory'." (unconfirmed: the
 *   message when it is the hard limits that add up to more; assumed the same);
 * - "memory must be greater than or equal to memoryReservation" (unconfirmed: the message; assumed the one below).
 * Not modelled: without a task-level memory (EC2, EXTERNAL) ECS wants one of them on each container ("Invalid
 * setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."); the suite's
 * own EC2-style revisions leave both out.
 */
export function checkContainerMemory(containers: Json[], taskMemory: string | undefined): void {
  for (const container of containers) {
    const { name, memory, memoryReservation } = container as { name: string; memory?: number; memoryReservation?: number };
    if (memory !== undefined && memoryReservation !== undefined && memoryReservation > memory)
      throw clientException(`Invalid setting for container '${name}'. 'memoryReservation' must be less than or equal to 'memory'.`);
    if (taskMemory !== undefined && memory !== undefined && memory > Number(taskMemory))
      throw clientException(`The 'memory' setting for container '${name}' is greater than for the task.`);
  }
  if (taskMemory === undefined) return;
  const reserved = containers.reduce((sum, c) => sum + (Number(c.memoryReservation ?? c.memory) || 0), 0);
  if (reserved > Number(taskMemory))
    throw clientException("The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.");
}

/**
 * Developer guide, task definition parameters, portMappings: in awsvpc mode the host port is left out or equals the
 * container port; otherwise "When networkMode=awsvpc, the host ports and container ports in port mappings must
 * match." (as users quote it). A host port of 0 is let through (unconfirmed: said to be accepted and set to the
 * container port).
 */
export function checkAwsvpcPorts(containers: Json[]): void {
  for (const container of containers)
    for (const mapping of asArray<Json>(container.portMappings))
      if (
        mapping.hostPort !== undefined &&
        mapping.hostPort !== 0 &&
        mapping.containerPort !== undefined &&
        mapping.hostPort !== mapping.containerPort
      )
        throw clientException('When networkMode=awsvpc, the host ports and container ports in port mappings must match.');
}

/** The list members of the request and of a container definition (API reference, RegisterTaskDefinition, ContainerDefinition). */
const REQUEST_LISTS = [
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'tags',
  'inferenceAccelerators',
];
const CONTAINER_LISTS = [
  'links',
  'portMappings',
  'entryPoint',
  'command',
  'environment',
  'environmentFiles',
  'mountPoints',
  'volumesFrom',
  'secrets',
  'dependsOn',
  'dnsServers',
  'dnsSearchDomains',
  'extraHosts',
  'dockerSecurityOptions',
  'ulimits',
  'systemControls',
  'resourceRequirements',
  'credentialSpecs',
];

/**
 * A list member given as something else (docker-compose's `environment: { KEY: value }`, `command: "npm start"`) is
 * no request ECS can read: it answers a SerializationException naming no field. Unconfirmed: the wording, assumed
 * the JSON reader's "Start of structure or map found where not expected." for an object, and the like for others.
 */
export function checkListShapes(input: Json, containers: Json[]): void {
  const misshapen = (value: unknown) => value !== undefined && value !== null && !Array.isArray(value);
  const found = (value: unknown) => (typeof value === 'object' ? 'Start of structure or map' : `${typeof value} value`);
  for (const field of REQUEST_LISTS)
    if (misshapen(input[field])) throw new AwsError('SerializationException', `${found(input[field])} found where not expected.`);
  for (const container of containers)
    for (const field of CONTAINER_LISTS)
      if (misshapen(container[field])) throw new AwsError('SerializationException', `${found(container[field])} found where not expected.`);
}
