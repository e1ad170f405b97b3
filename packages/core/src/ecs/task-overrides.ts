import { ConfigurationError } from '../common/errors';
import type { Inputs } from '../common/inputs';
import type { RegistrableDefinition } from '../task-definition/strip';
import type { TaskPlacement } from './task-placement';

/** RunTask's task-level overrides for a one-off task (TaskOverride, ECS API reference), as read from the inputs. */
export interface TaskOverrides {
  /** CPU units, e.g. "1024" for 1 vCPU. */
  cpu?: string;
  /** MiB. */
  memory?: string;
  /** The IAM role the task's containers assume instead of the revision's taskRoleArn. */
  taskRoleArn?: string;
}

/**
 * Developer guide, "Task CPU and memory": the task sizes Fargate offers (Linux), by CPU units, memory in MiB from
 * `min` to `max` in steps of `step`. The sandbox models the same table for RegisterTaskDefinition and RunTask; it is
 * written out here as well because core may not import the sandbox (it checks core).
 */
const FARGATE_SIZES: Record<string, { min: number; max: number; step: number; also?: number[] }> = {
  '256': { min: 512, max: 2048, step: 1024, also: [512, 1024, 2048] },
  '512': { min: 1024, max: 4096, step: 1024 },
  '1024': { min: 2048, max: 8192, step: 1024 },
  '2048': { min: 4096, max: 16384, step: 1024 },
  '4096': { min: 8192, max: 30720, step: 1024 },
  '8192': { min: 16384, max: 61440, step: 4096 },
  '16384': { min: 32768, max: 122880, step: 8192 },
};

/** The memory sizes Fargate offers with `cpu` units, in MiB; empty for a cpu Fargate does not offer. */
export function fargateMemoryFor(cpu: string): number[] {
  const size = FARGATE_SIZES[cpu];
  if (!size) return [];
  if (size.also) return size.also;
  return Array.from({ length: (size.max - size.min) / size.step + 1 }, (_, i) => size.min + i * size.step);
}

/** Why Fargate would refuse a task of `cpu` units and `memory` MiB, naming what it takes instead; undefined when it takes it. */
export function fargateSizeProblem(cpu: string, memory: string): string | undefined {
  const memories = fargateMemoryFor(cpu);
  if (!memories.length) return `Fargate offers no task of ${cpu} CPU units; it takes ${Object.keys(FARGATE_SIZES).join(', ')}`;
  if (memories.includes(Number(memory))) return undefined;
  const size = FARGATE_SIZES[cpu];
  const range = size.also ? memories.join(', ') : `${size.min} to ${size.max} in steps of ${size.step}`;
  return `Fargate offers no task of ${cpu} CPU units with ${memory} MiB; with ${cpu} it takes ${range} MiB`;
}

/** Whether a one-off task placed so runs on Fargate (its launch type, or a FARGATE / FARGATE_SPOT capacity provider). */
export function runsOnFargate(placement: TaskPlacement): boolean {
  return (
    placement.launchType === 'FARGATE' ||
    (placement.capacityProviderStrategy ?? []).some((item) => item.capacityProvider?.startsWith('FARGATE'))
  );
}

/** An IAM role ARN: arn:<partition>:iam::<account>:role/<path/>name (IAM User Guide, "IAM identifiers"). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * The cpu, memory and task-role-arn inputs: cpu in CPU units and memory in MiB as whole numbers (1024 is 1 vCPU or
 * 1 GiB), a role as its ARN. With launch-type FARGATE and both sizes given, the pair is judged here; otherwise it is
 * judged once the revision and the placement are known (taskSizeProblem), still before anything starts.
 */
export function taskOverridesInput(inputs: Inputs, launchType: string | undefined): TaskOverrides {
  const cpu = units(inputs, 'cpu', 'CPU units (1024 is 1 vCPU), e.g. 512');
  const memory = units(inputs, 'memory', 'MiB (1024 is 1 GiB), e.g. 2048');
  const taskRoleArn = inputs.optional('task-role-arn');
  if (taskRoleArn !== undefined && !ROLE_ARN.test(taskRoleArn)) {
    throw new ConfigurationError(
      `Input 'task-role-arn' must be the ARN of an IAM role, arn:aws:iam::<account>:role/<name>; got "${taskRoleArn}".`,
      'task-role-arn',
    );
  }
  if (launchType === 'FARGATE' && cpu !== undefined && memory !== undefined) {
    const problem = fargateSizeProblem(cpu, memory);
    if (problem) throw new ConfigurationError(`Inputs 'cpu' and 'memory': ${problem}. Nothing was started.`, 'cpu');
  }
  return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}), ...(taskRoleArn ? { taskRoleArn } : {}) };
}

function units(inputs: Inputs, name: 'cpu' | 'memory', what: string): string | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new ConfigurationError(`Input '${name}' must be a whole number of ${what}; got "${value}".`, name);
  return value;
}

/**
 * What ECS would refuse of the cpu and memory overrides for this revision placed so: on Fargate the task's size
 * after them (an override, else the revision's) must be one Fargate offers, and no container may have more memory
 * than the task. Undefined when there is nothing to refuse.
 */
export function taskSizeProblem(definition: RegistrableDefinition, placement: TaskPlacement, overrides: TaskOverrides): string | undefined {
  if (overrides.cpu === undefined && overrides.memory === undefined) return undefined;
  const cpu = overrides.cpu ?? definition.cpu;
  const memory = overrides.memory ?? definition.memory;
  const named = [
    overrides.cpu !== undefined ? `'cpu' (${overrides.cpu})` : '',
    overrides.memory !== undefined ? `'memory' (${overrides.memory})` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const inputs = `Input${overrides.cpu !== undefined && overrides.memory !== undefined ? 's' : ''} ${named}`;
  if (runsOnFargate(placement)) {
    if (cpu === undefined || memory === undefined)
      return `${inputs}: the task runs on Fargate, which needs both cpu and memory at the task level, and revision ${definition.family} leaves ${cpu === undefined ? 'cpu' : 'memory'} out: give input '${cpu === undefined ? 'cpu' : 'memory'}' too`;
    const problem = fargateSizeProblem(cpu, memory);
    if (problem)
      return `${inputs} make${named.includes(' and ') ? '' : 's'} the task ${cpu} CPU units and ${memory} MiB on Fargate: ${problem}`;
  }
  if (overrides.memory !== undefined) {
    const over = (definition.containerDefinitions ?? []).find((container) => (container.memory ?? 0) > Number(overrides.memory));
    if (over)
      return `Input 'memory' (${overrides.memory} MiB) is less than container "${over.name}"'s memory (${over.memory} MiB), and ECS refuses a task smaller than a container: raise memory`;
  }
  return undefined;
}
