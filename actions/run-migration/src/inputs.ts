import { ConfigurationError, parseCommand, resolveRegion } from '@ecs-deploy/core/common';
import { stepInputs } from '@ecs-deploy/core/platform';
import type { DefinitionSource, MigrationRequest } from '@ecs-deploy/core/use-cases';

/** Reads and validates every input before anything talks to AWS. */
export function readMigrationInputs(inputs = stepInputs()): MigrationRequest {
  const cluster = inputs.required('cluster');
  const service = inputs.optional('service');
  const image = inputs.optional('image');
  if (image !== undefined && /\s/.test(image)) {
    throw new ConfigurationError(
      `Input 'image' must be one image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:...; got "${image}".`,
      'image',
    );
  }
  const assignPublicIp = inputs.oneOf('assign-public-ip', ['true', 'false', 'ENABLED', 'DISABLED'] as const);
  return {
    region: resolveRegion(inputs.optional('region')),
    cluster,
    service,
    definition: definitionSource(inputs.optional('task-definition'), service),
    container: inputs.optional('container'),
    image,
    command: parseCommand(inputs.optional('command') ?? ''),
    environment: inputs.keyValues('environment'),
    subnets: inputs.list('subnets'),
    securityGroups: inputs.list('security-groups'),
    assignPublicIp: assignPublicIp === undefined ? undefined : /^(true|ENABLED)$/.test(assignPublicIp) ? 'ENABLED' : 'DISABLED',
    launchType: inputs.oneOf('launch-type', ['FARGATE', 'EC2', 'EXTERNAL', 'MANAGED_INSTANCES'] as const),
    timeoutMs: inputs.duration('timeout', '15m'),
    allowConcurrent: inputs.boolean('allow-concurrent', false),
    stopOnCancel: inputs.boolean('stop-on-cancel', false),
  };
}

/**
 * A value ending in .json (or holding a path separator without being an ARN) is a file; anything else is
 * `family`, `family:revision` or an ARN, as RunTask and DescribeTaskDefinition take them.
 */
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
  if (value.startsWith('arn:')) {
    if (!/^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:task-definition\/[\w-]{1,255}(:\d+)?$/.test(value)) {
      throw new ConfigurationError(
        `Input 'task-definition' is an ARN but not a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>); got "${value}".`,
        'task-definition',
      );
    }
    return { kind: 'reference', reference: value };
  }
  if (/\.json$/i.test(value) || value.includes('/')) return { kind: 'file', path: value };
  if (!/^[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?$/.test(value)) {
    throw new ConfigurationError(
      `Input 'task-definition' must be family[:revision] (letters, digits, _ and -), a task definition ARN or the path of a .json file; got "${value}".`,
      'task-definition',
    );
  }
  return { kind: 'reference', reference: value };
}
