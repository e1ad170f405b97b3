import { checkEcsArnInputs, ConfigurationError, parseCommand, resolveRegion, type Inputs } from '@ecs-deploy/core/common';
import { stepInputs } from '@ecs-deploy/core/platform';
import { taskOverridesInput } from '@ecs-deploy/core/ecs';
import { readPreflightMode } from '@ecs-deploy/core/preflight';
import { tagsInput, taskDefinitionInput } from '@ecs-deploy/core/task-definition';
import type { DefinitionSource, MigrationRequest } from '@ecs-deploy/core/use-cases';

/** Reads and validates every input before anything talks to AWS. */
export function readMigrationInputs(inputs = stepInputs()): MigrationRequest {
  const cluster = inputs.required('cluster');
  const service = inputs.optional('service');
  const image = inputs.image('image');
  const assignPublicIp = inputs.oneOf('assign-public-ip', ['true', 'false', 'ENABLED', 'DISABLED'] as const);
  const region = resolveRegion(inputs.optional('region'));
  const taskDefinition = inputs.optional('task-definition');
  const launchType = inputs.oneOf('launch-type', ['FARGATE', 'EC2', 'EXTERNAL', 'MANAGED_INSTANCES'] as const);
  const overrides = taskOverridesInput(inputs, launchType);
  checkEcsArnInputs({ cluster, service, 'task-definition': taskDefinition }, region);
  return {
    region,
    cluster,
    service,
    definition: definitionSource(taskDefinition, service),
    container: inputs.optional('container'),
    image,
    command: parseCommand(inputs.optional('command') ?? ''),
    environment: inputs.keyValues('environment'),
    tags: tagsInput(inputs),
    subnets: resourceIds(inputs, 'subnets', 'subnet'),
    securityGroups: resourceIds(inputs, 'security-groups', 'sg'),
    assignPublicIp: assignPublicIp === undefined ? undefined : /^(true|ENABLED)$/.test(assignPublicIp) ? 'ENABLED' : 'DISABLED',
    launchType,
    ...(Object.keys(overrides).length ? { overrides } : {}),
    timeoutMs: inputs.duration('timeout', '15m'),
    allowConcurrent: inputs.boolean('allow-concurrent', false),
    stopOnCancel: inputs.boolean('stop-on-cancel', false),
    preflight: readPreflightMode(inputs),
  };
}

/**
 * VPC resource IDs, one a line or separated by commas (as the console and the CLI list them). Each must be an ID of
 * that kind: a subnet's CIDR or a name reaches RunTask as an InvalidParameterException only after the revision is registered.
 */
function resourceIds(inputs: Inputs, name: string, prefix: 'subnet' | 'sg'): string[] {
  const ids = inputs.list(name).flatMap((line) =>
    line
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
  const bad = ids.find((id) => !new RegExp(`^${prefix}-[A-Za-z0-9]+$`).test(id));
  if (bad !== undefined) {
    throw new ConfigurationError(
      `Input '${name}' must hold ${prefix === 'sg' ? 'security group' : 'subnet'} IDs such as ${prefix}-0a1b2c3d4e5f67890, one a line or separated by commas; "${bad}" is not one.`,
      name,
    );
  }
  return ids;
}

/** The task definition to run: `task-definition` as taskDefinitionInput reads it, else the service's. */
export function definitionSource(value: string | undefined, service: string | undefined): DefinitionSource {
  if (value === undefined) {
    if (service === undefined) {
      throw new ConfigurationError(
        "Input 'task-definition' or 'service' is required: give the task definition to run (family[:revision], ARN or a JSON file), or the service whose task definition and network the migration borrows.",
        'task-definition',
      );
    }
    return { kind: 'service' };
  }
  return taskDefinitionInput(value);
}
