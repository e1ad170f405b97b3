import type { Context } from '../context';
import { AwsError } from '../errors';
import { clientException, invalidParameter, serviceNotFound } from './errors';
import { checkContainerMemory, checkFargateSize, taskUnits } from './task-definition-rules';
import { launchTask, stopTask } from '../tasks/lifecycle';
import { renderTask } from './render';
import { asArray, findService, findTaskDefinition, requireCluster } from './resolve';
import { checkPlacement } from './services';
import type { ClusterRecord, Json, TaskDefinitionRecord, TaskRecord } from './state';
import { paginate } from './task-definitions';
import { checkTags } from './tags';

/**
 * ListTasks filters that startedBy cannot be combined with. The API reference (ListTasks, startedBy): "When you
 * specify startedBy as the filter, it must be the only filter that you use." cluster is the scope, not a filter, and
 * nextToken/maxResults page the answer.
 */
const FILTERS_EXCLUDED_BY_STARTED_BY = ['family', 'serviceName', 'containerInstance', 'desiredStatus', 'launchType', 'daemonName'] as const;

/**
 * RunTask's clientToken (Ensuring idempotency, ECS API reference): up to 64 ASCII characters 33-126, scoped to the
 * cluster, kept 24 hours. The same token with the same parameters answers the first call's tasks and starts none;
 * with other parameters it is a ConflictException.
 */
const CLIENT_TOKEN = /^[\x21-\x7e]{1,64}$/;
const CLIENT_TOKEN_TTL_MS = 24 * 60 * 60_000;

/** JSON with object keys sorted, so two requests with the same parameters compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Json)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * The task-level overrides of RunTask (TaskOverride, API reference): cpu and memory in units (or "1 vCPU", "2 GB", as
 * at registration), and on Fargate the task's size after them must be one Fargate offers, as at registration ("No
 * Fargate configuration exists for given values", the table of the developer guide's "Task CPU and memory"); no
 * container's memory may be above the task's. A taskRoleArn must be an IAM role ARN (the message is the sandbox's
 * own, unconfirmed). Returns the overrides with cpu and memory as units, as ECS echoes them.
 */
function checkTaskOverrides(definition: TaskDefinitionRecord, overrides: Json, fargate: boolean): Json {
  const cpu = taskUnits(overrides.cpu, 'cpu');
  const memory = taskUnits(overrides.memory, 'memory');
  if (overrides.taskRoleArn !== undefined) {
    const role = overrides.taskRoleArn;
    if (typeof role !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role))
      throw invalidParameter(`The task role override ${String(role)} is not a valid IAM role ARN.`);
  }
  if (cpu === undefined && memory === undefined) return overrides;
  const effectiveCpu = cpu ?? (definition.body.cpu as string | undefined);
  const effectiveMemory = memory ?? (definition.body.memory as string | undefined);
  if (fargate) {
    if (effectiveCpu === undefined || effectiveMemory === undefined)
      throw clientException("Fargate requires that 'cpu' and 'memory' be defined at the task level.");
    checkFargateSize(effectiveCpu, effectiveMemory);
  }
  checkContainerMemory((definition.body.containerDefinitions as Json[]) ?? [], effectiveMemory);
  return { ...overrides, ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
}

/** ECS keeps stopped tasks visible for at least an hour (DescribeTasks, API reference). */
const STOPPED_TASK_RETENTION_MS = 60 * 60_000;

function findTask(ctx: Context, cluster: ClusterRecord, value: unknown): TaskRecord | undefined {
  if (typeof value !== 'string') return undefined;
  const arn = value.startsWith('arn:') ? value : ctx.arns.task(cluster.name, value);
  const task = ctx.ecs.tasks.get(arn);
  return task && task.cluster === cluster.name && visible(ctx, task) ? task : undefined;
}

function visible(ctx: Context, task: TaskRecord): boolean {
  return task.stoppedAt === undefined || ctx.clock.now() - task.stoppedAt < STOPPED_TASK_RETENTION_MS;
}

export const taskOperations = {
  RunTask(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const token = input.clientToken;
    if (token !== undefined && (typeof token !== 'string' || !CLIENT_TOKEN.test(token)))
      throw invalidParameter('clientToken must be 1 to 64 ASCII characters in the range 33-126.');
    const tokenKey = typeof token === 'string' ? `${cluster.name}/${token}` : undefined;
    const { clientToken: _token, ...rest } = input;
    const parameters = canonical(rest);
    const earlier = tokenKey ? ctx.ecs.runTaskTokens.get(tokenKey) : undefined;
    if (earlier && ctx.clock.now() - earlier.at < CLIENT_TOKEN_TTL_MS) {
      if (earlier.parameters !== parameters)
        throw new AwsError('ConflictException', 'The request uses the same client token as a previous, but non-identical request.');
      const again = earlier.taskArns.map((arn) => ctx.ecs.tasks.get(arn)).filter((task): task is TaskRecord => task !== undefined);
      return { tasks: again.map((t) => renderTask(ctx, t)), failures: [] };
    }
    const taskDefinition = findTaskDefinition(ctx, input.taskDefinition);
    if (!taskDefinition) throw invalidParameter('TaskDefinition not found.');
    if (taskDefinition.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
    const count = (input.count as number | undefined) ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.');
    if (typeof input.startedBy === 'string' && input.startedBy.length > 128)
      throw invalidParameter('startedBy must be at most 128 characters.');
    const strategy = asArray<Json>(input.capacityProviderStrategy);
    const launchType = (input.launchType as string | undefined) ?? (strategy.length ? undefined : 'EC2');
    checkPlacement(taskDefinition, launchType, input.networkConfiguration);
    checkTags(input.tags);
    const overrides = (input.overrides as Json | undefined) ?? {};
    const names = new Set(((taskDefinition.body.containerDefinitions as Json[]) ?? []).map((c) => c.name));
    for (const override of asArray<Json>(overrides.containerOverrides)) {
      if (!names.has(override.name))
        throw invalidParameter(`Override for container named ${String(override.name)} is not a container in the TaskDefinition.`);
    }
    const fargate = launchType === 'FARGATE' || strategy.some((item) => String(item.capacityProvider ?? '').startsWith('FARGATE'));
    const sized = checkTaskOverrides(taskDefinition, overrides, fargate);
    const tasks = Array.from({ length: count }, () =>
      launchTask(ctx, {
        cluster,
        taskDefinition,
        launchType,
        platformVersion: input.platformVersion as string | undefined,
        networkConfiguration: input.networkConfiguration as Json | undefined,
        capacityProviderName: strategy[0]?.capacityProvider as string | undefined,
        startedBy: input.startedBy as string | undefined,
        group: (input.group as string | undefined) ?? `family:${taskDefinition.family}`,
        overrides: sized,
        tags: input.tags,
        enableExecuteCommand: Boolean(input.enableExecuteCommand),
      }),
    );
    if (tokenKey) ctx.ecs.runTaskTokens.set(tokenKey, { parameters, at: ctx.clock.now(), taskArns: tasks.map((t) => t.arn) });
    return { tasks: tasks.map((t) => renderTask(ctx, t)), failures: [] };
  },

  StopTask(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const task = findTask(ctx, cluster, input.task);
    if (!task) throw invalidParameter('The referenced task was not found.');
    const reason = typeof input.reason === 'string' && input.reason !== '' ? input.reason : 'Task stopped by user';
    stopTask(ctx, task, 'UserInitiated', reason);
    return { task: renderTask(ctx, task) };
  },

  ListTasks(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    if (input.startedBy !== undefined) {
      const others = FILTERS_EXCLUDED_BY_STARTED_BY.filter((name) => input[name] !== undefined);
      if (others.length)
        throw invalidParameter(
          `When you specify startedBy as the filter, it must be the only filter that you use. Also given: ${others.join(', ')}.`,
        );
    }
    if (typeof input.serviceName === 'string' && !findService(ctx, cluster, input.serviceName)) throw serviceNotFound();
    const serviceName = typeof input.serviceName === 'string' ? input.serviceName.slice(input.serviceName.lastIndexOf('/') + 1) : undefined;
    const desiredStatus = (input.desiredStatus as string | undefined) ?? 'RUNNING';
    const arns = [...ctx.ecs.tasks.values()]
      .filter((t) => t.cluster === cluster.name && visible(ctx, t))
      .filter((t) => t.desiredStatus === desiredStatus)
      .filter((t) => serviceName === undefined || t.serviceName === serviceName)
      .filter((t) => input.startedBy === undefined || t.startedBy === input.startedBy)
      .filter((t) => input.family === undefined || t.family === input.family)
      .filter((t) => input.launchType === undefined || t.launchType === input.launchType)
      .map((t) => t.arn);
    return paginate(arns, input, 'taskArns');
  },

  DescribeTasks(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const requested = asArray(input.tasks);
    if (requested.length === 0 || requested.length > 100) throw invalidParameter('Tasks cannot be empty.');
    const include = asArray<string>(input.include);
    const tasks: Json[] = [];
    const failures: Json[] = [];
    for (const value of requested) {
      const task = findTask(ctx, cluster, value);
      if (task) tasks.push(renderTask(ctx, task, include));
      else
        failures.push({
          arn: typeof value === 'string' && value.startsWith('arn:') ? value : ctx.arns.task(cluster.name, String(value)),
          reason: 'MISSING',
        });
    }
    return { tasks, failures };
  },
};
