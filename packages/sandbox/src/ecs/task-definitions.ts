import type { Context } from '../context';
import { clientException, invalidParameter } from './errors';
import { requireString } from './params';
import { renderTaskDefinition } from './render';
import { asArray, findTaskDefinition } from './resolve';
import { checkAwsvpcPorts, checkContainerMemory, checkFargateSize, checkImage, checkListShapes, taskUnits } from './task-definition-rules';
import type { Json, TaskDefinitionRecord } from './state';
import { checkTags, setTags, tagsOf } from './tags';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Request fields ECS stores as given; everything else in a RegisterTaskDefinition request is ignored. */
const STORED_FIELDS = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const;

/**
 * Checks ECS makes at registration. Messages are the ones ECS answers with ("ClientException"), so a client
 * that surfaces them shows what a person would see against AWS.
 */
function validate(input: Json, containers: Json[]): void {
  checkListShapes(input, containers);
  checkTags(input.tags);
  const family = requireString(input, 'family', () => clientException('Family can not be blank.'));
  if (!NAME.test(family)) throw clientException('Family contains invalid characters.');
  if (containers.length === 0) throw clientException('Container list cannot be empty.');
  if (containers.length > 10) throw clientException('A task definition can contain at most 10 containers.');
  const names = new Set<string>();
  for (const container of containers) {
    if (typeof container.name !== 'string' || container.name === '') throw clientException('Container.name should not be null or empty.');
    if (!NAME.test(container.name)) throw clientException('Container.name contains invalid characters.');
    if (names.has(container.name)) throw clientException('Duplicate container names are not allowed.');
    names.add(container.name);
    if (typeof container.image !== 'string' || container.image === '')
      throw clientException('Container.image should not be null or empty.');
    checkImage(container.image);
  }
  if (!containers.some((c) => c.essential !== false))
    throw clientException('A task definition must have at least one essential container.');
  // The agent fetches secrets and registry credentials with the execution role, so ECS refuses them without one
  // (ClientException, as users report it: "When you are specifying container secrets, you must also specify a value
  // for 'executionRoleArn'."; "Private repository authentication requires that the task definition specify a value
  // for executionRoleArn."). That log secretOptions get the first wording is *unconfirmed*.
  if (!input.executionRoleArn) {
    if (
      containers.some((c) => asArray(c.secrets).length > 0 || asArray((c.logConfiguration as Json | undefined)?.secretOptions).length > 0)
    )
      throw clientException("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
    if (containers.some((c) => (c.repositoryCredentials as Json | undefined)?.credentialsParameter !== undefined))
      throw clientException('Private repository authentication requires that the task definition specify a value for executionRoleArn.');
  }
  const fargate = asArray(input.requiresCompatibilities).includes('FARGATE');
  if (fargate) {
    if (input.networkMode !== 'awsvpc') throw clientException("Fargate only supports network mode 'awsvpc'.");
    if (input.cpu === undefined) throw clientException("Fargate requires that 'cpu' be defined at the task level.");
    if (input.memory === undefined) throw clientException("Fargate requires that 'memory' be defined at the task level.");
    const usesAwslogs = containers.some((c) => (c.logConfiguration as Json | undefined)?.logDriver === 'awslogs');
    if (usesAwslogs && !input.executionRoleArn) {
      throw clientException('Fargate requires task definition to have execution role ARN to support log driver awslogs.');
    }
  }
  const cpu = taskUnits(input.cpu, 'cpu');
  const memory = taskUnits(input.memory, 'memory');
  if (fargate) checkFargateSize(cpu as string, memory as string);
  checkContainerMemory(containers, memory);
  if (input.networkMode === 'awsvpc') checkAwsvpcPorts(containers);
}

/**
 * ECS fills in a health check's interval (30), timeout (5) and retries (3) when they are left out and
 * returns them from then on; startPeriod is off by default and stays absent (API reference, HealthCheck).
 */
function healthCheckWithDefaults(check: Json | undefined): Json | undefined {
  if (!check) return undefined;
  return { ...check, interval: check.interval ?? 30, timeout: check.timeout ?? 5, retries: check.retries ?? 3 };
}

/** The defaults ECS writes into each container definition it returns. */
function normaliseContainer(container: Json, networkMode: unknown): Json {
  const portMappings = asArray<Json>(container.portMappings).map((mapping) => ({
    ...mapping,
    // In awsvpc mode the host port is the container port.
    ...(networkMode === 'awsvpc' && mapping.hostPort === undefined ? { hostPort: mapping.containerPort } : {}),
    protocol: mapping.protocol ?? 'tcp',
  }));
  return {
    ...container,
    cpu: container.cpu ?? 0,
    portMappings,
    essential: container.essential ?? true,
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
    systemControls: container.systemControls ?? [],
    ...(container.healthCheck ? { healthCheck: healthCheckWithDefaults(container.healthCheck as Json) } : {}),
  };
}

/** The container-instance attributes the definition needs, as ECS derives them. */
function requiresAttributes(input: Json, containers: Json[]): Json[] {
  const names = new Set<string>();
  if (input.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  if (input.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  for (const container of containers) {
    const driver = (container.logConfiguration as Json | undefined)?.logDriver;
    if (driver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      if (input.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
    }
    if (container.healthCheck) {
      names.add('ecs.capability.container-health-check');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.24');
    }
    if (asArray(container.secrets).length > 0) names.add('ecs.capability.secrets.asm.environment-variables');
  }
  return [...names].map((name) => ({ name }));
}

function compatibilities(input: Json): string[] {
  if (input.networkMode === 'awsvpc' && input.cpu !== undefined && input.memory !== undefined) return ['EC2', 'FARGATE'];
  return input.networkMode === 'awsvpc' ? ['EC2'] : ['EXTERNAL', 'EC2'];
}

export function registerTaskDefinition(ctx: Context, input: Json): TaskDefinitionRecord {
  const containers = asArray<Json>(input.containerDefinitions);
  validate(input, containers);
  const family = input.family as string;
  const revisions = ctx.ecs.taskDefinitions.get(family) ?? [];
  const revision = revisions.length + 1;
  const body: Json = {};
  for (const field of STORED_FIELDS) if (input[field] !== undefined) body[field] = input[field];
  // Stored in units: "1 vCPU" as "1024", "2 GB" as "2048" (see taskUnits).
  if (input.cpu !== undefined) body.cpu = taskUnits(input.cpu, 'cpu');
  if (input.memory !== undefined) body.memory = taskUnits(input.memory, 'memory');
  body.containerDefinitions = containers.map((c) => normaliseContainer(c, input.networkMode));
  body.volumes = input.volumes ?? [];
  body.placementConstraints = input.placementConstraints ?? [];
  body.requiresAttributes = requiresAttributes(input, containers);
  body.compatibilities = compatibilities(input);
  body.registeredBy = ctx.arns.principal();
  const record: TaskDefinitionRecord = {
    arn: ctx.arns.taskDefinition(family, revision),
    family,
    revision,
    status: 'ACTIVE',
    body,
    registeredAt: ctx.clock.now(),
  };
  revisions.push(record);
  ctx.ecs.taskDefinitions.set(family, revisions);
  setTags(ctx, record.arn, input.tags);
  return record;
}

export const taskDefinitionOperations = {
  RegisterTaskDefinition(ctx: Context, input: Json) {
    const record = registerTaskDefinition(ctx, input);
    const tags = tagsOf(ctx, record.arn);
    return { taskDefinition: renderTaskDefinition(record), ...(tags.length ? { tags } : {}) };
  },

  DescribeTaskDefinition(ctx: Context, input: Json) {
    const record = findTaskDefinition(ctx, input.taskDefinition);
    if (!record || record.status === 'DELETE_IN_PROGRESS') throw clientException('Unable to describe task definition.');
    const withTags = asArray(input.include).includes('TAGS');
    return { taskDefinition: renderTaskDefinition(record), ...(withTags ? { tags: tagsOf(ctx, record.arn) } : {}) };
  },

  ListTaskDefinitions(ctx: Context, input: Json) {
    const status = (input.status as string | undefined) ?? 'ACTIVE';
    // Despite its name, familyPrefix selects one family exactly (ListTaskDefinitions, API reference).
    const families = typeof input.familyPrefix === 'string' ? [input.familyPrefix] : [...ctx.ecs.taskDefinitions.keys()].sort();
    const records = families.flatMap((family) => ctx.ecs.taskDefinitions.get(family) ?? []).filter((r) => r.status === status);
    if (input.sort === 'DESC') records.reverse();
    return paginate(
      records.map((r) => r.arn),
      input,
      'taskDefinitionArns',
    );
  },

  ListTaskDefinitionFamilies(ctx: Context, input: Json) {
    const status = (input.status as string | undefined) ?? 'ACTIVE';
    const prefix = typeof input.familyPrefix === 'string' ? input.familyPrefix : '';
    const families = [...ctx.ecs.taskDefinitions.entries()]
      .filter(([family, revisions]) => family.startsWith(prefix) && (status === 'ALL' || revisions.some((r) => r.status === status)))
      .map(([family]) => family)
      .sort();
    return paginate(families, input, 'families');
  },

  DeregisterTaskDefinition(ctx: Context, input: Json) {
    const reference = typeof input.taskDefinition === 'string' ? input.taskDefinition : '';
    const record = reference.includes(':') ? findTaskDefinition(ctx, reference) : undefined;
    if (!record)
      throw clientException('The specified task definition does not exist. Specify a valid account, family, revision and try again.');
    if (record.status === 'ACTIVE') {
      record.status = 'INACTIVE';
      record.deregisteredAt = ctx.clock.now();
    }
    return { taskDefinition: renderTaskDefinition(record) };
  },
};

/** ECS's list pagination: an opaque nextToken, at most maxResults (100) per page. */
export function paginate<T>(items: T[], input: Json, key: string, limit = 100, defaultPage = limit): Json {
  const max = typeof input.maxResults === 'number' ? input.maxResults : defaultPage;
  if (max < 1 || max > limit) throw invalidParameter(`maxResults must be between 1 and ${limit}.`);
  const start = typeof input.nextToken === 'string' ? Number(Buffer.from(input.nextToken, 'base64').toString()) || 0 : 0;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return { [key]: page, ...(next ? { nextToken: next } : {}) };
}
