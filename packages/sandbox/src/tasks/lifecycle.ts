/**
 * The life of one task as the ECS agent and control plane drive it, from PROVISIONING to STOPPED. The
 * runtime says what the containers did; this module turns that into ECS's task state and reports each step
 * on ctx.taskEvents (tasks/events). Stop decisions that belong to the service scheduler are not made here:
 * the scheduler hears the reports and decides.
 */
import { record, type Context } from '../context';
import type { ClusterRecord, ContainerRecord, Json, TaskDefinitionRecord, TaskRecord } from '../ecs/state';
import { uuid, taskId as newTaskId } from '../ids';
import type { ContainerExit, NetworkBinding, RuntimeContainer, RuntimeTask } from '../runtime/runtime';
import { setTags } from '../ecs/tags';
import { resolveTaskSecrets } from '../runtime/secrets';
import { executionRoleAccess } from './execution-role';
import { deregisterTaskTargets, registerTaskTargets } from './load-balancer';

/** ENI attachment before the task moves to PENDING (Fargate task lifecycle). */
const PROVISIONING_MS = 100;
/**
 * How long the agent takes to give up on a secret it cannot fetch (one retry): as long as a failed image pull here.
 * That such a task stops before its containers start, with ResourceInitializationError, follows the developer guide
 * ("Pass sensitive data to an Amazon ECS container": secrets are fetched when the task starts; "Amazon ECS stopped
 * task error messages"); the delay itself is *unconfirmed*, a sandbox choice.
 */
const SECRETS_FAIL_MS = 500;

export interface LaunchSpec {
  cluster: ClusterRecord;
  taskDefinition: TaskDefinitionRecord;
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: Json;
  capacityProviderName?: string;
  startedBy?: string;
  group: string;
  overrides?: Json;
  tags?: unknown;
  enableExecuteCommand?: boolean;
  serviceName?: string;
  deploymentId?: string;
}

type ContainerDefinition = Json & { name: string; image: string };

function definitions(task: TaskRecord, ctx: Context): ContainerDefinition[] {
  const [family, revision] = task.taskDefinitionArn.slice(task.taskDefinitionArn.lastIndexOf('/') + 1).split(':');
  const record = ctx.ecs.taskDefinitions.get(family)?.[Number(revision) - 1];
  return (record?.body.containerDefinitions as ContainerDefinition[] | undefined) ?? [];
}

/** The revision's execution role; RunTask's overrides may name another (TaskOverride.executionRoleArn). */
function executionRoleOf(task: TaskRecord, ctx: Context): string | undefined {
  const [family, revision] = task.taskDefinitionArn.slice(task.taskDefinitionArn.lastIndexOf('/') + 1).split(':');
  const body = ctx.ecs.taskDefinitions.get(family)?.[Number(revision) - 1]?.body;
  const override = (task.overrides as Json | undefined)?.executionRoleArn;
  return typeof override === 'string' && override ? override : (body?.executionRoleArn as string | undefined);
}

/** Whether the agent needs the execution role for secrets: any `secrets`, log `secretOptions` or repository credentials. */
function secretReferenced(containers: ContainerDefinition[]): boolean {
  const some = (value: unknown) => Array.isArray(value) && value.length > 0;
  return containers.some(
    (container) =>
      some(container.secrets) ||
      some((container.logConfiguration as Json | undefined)?.secretOptions) ||
      (container.repositoryCredentials as Json | undefined)?.credentialsParameter !== undefined,
  );
}

function randomIp(): string {
  const b = () => Math.floor(Math.random() * 250) + 2;
  return `10.0.${b()}.${b()}`;
}

export function launchTask(ctx: Context, spec: LaunchSpec): TaskRecord {
  const now = ctx.clock.now();
  const id = newTaskId();
  const body = spec.taskDefinition.body;
  const containerDefinitions = (body.containerDefinitions as ContainerDefinition[]) ?? [];
  const awsvpc = (spec.networkConfiguration as { awsvpcConfiguration?: { subnets?: string[] } } | undefined)?.awsvpcConfiguration;
  const fargate = spec.launchType === 'FARGATE' || spec.capacityProviderName?.startsWith('FARGATE');
  const containers: ContainerRecord[] = containerDefinitions.map((definition) => ({
    arn: ctx.arns.container(spec.cluster.name, id, uuid()),
    name: definition.name,
    image: definition.image,
    essential: definition.essential !== false,
    hasHealthCheck: Boolean(definition.healthCheck),
    lastStatus: 'PENDING',
    healthStatus: 'UNKNOWN',
    runtimeId: `${id}-${Math.floor(Math.random() * 1e10)}`,
    cpu: definition.cpu !== undefined ? String(definition.cpu) : undefined,
    memory: definition.memory !== undefined ? String(definition.memory) : undefined,
    memoryReservation: definition.memoryReservation !== undefined ? String(definition.memoryReservation) : undefined,
  }));
  const task: TaskRecord = {
    arn: ctx.arns.task(spec.cluster.name, id),
    id,
    clusterArn: spec.cluster.arn,
    cluster: spec.cluster.name,
    taskDefinitionArn: spec.taskDefinition.arn,
    family: spec.taskDefinition.family,
    startedBy: spec.startedBy,
    group: spec.group,
    launchType: spec.capacityProviderName ? undefined : spec.launchType,
    capacityProviderName: spec.capacityProviderName,
    platformVersion: fargate ? '1.4.0' : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    cpu: (spec.overrides?.cpu as string | undefined) ?? (body.cpu as string | undefined),
    memory: (spec.overrides?.memory as string | undefined) ?? (body.memory as string | undefined),
    availabilityZone: `${ctx.region}a`,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: now,
    connectivity: 'CONNECTED',
    connectivityAt: now,
    containers,
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...(spec.overrides ?? {}) },
    attachments:
      body.networkMode === 'awsvpc'
        ? [
            {
              id: uuid(),
              type: 'ElasticNetworkInterface',
              details: [
                { name: 'subnetId', value: awsvpc?.subnets?.[0] ?? 'subnet-00000000' },
                { name: 'networkInterfaceId', value: `eni-${id.slice(0, 17)}` },
                { name: 'privateIPv4Address', value: randomIp() },
              ],
            },
          ]
        : [],
    enableExecuteCommand: spec.enableExecuteCommand ?? false,
    version: 1,
    serviceName: spec.serviceName,
    deploymentId: spec.deploymentId,
  };
  ctx.ecs.tasks.set(task.arn, task);
  setTags(ctx, task.arn, spec.tags);
  ctx.clock.after(PROVISIONING_MS, () => beginPending(ctx, task));
  return task;
}

function runtimeTask(ctx: Context, task: TaskRecord, secrets: Map<string, Record<string, string>>): RuntimeTask {
  const overrides = (task.overrides.containerOverrides as Json[] | undefined) ?? [];
  const containers: RuntimeContainer[] = definitions(task, ctx).map((definition) => {
    const override = overrides.find((o) => o.name === definition.name) ?? {};
    const environment: Record<string, string> = {};
    for (const pair of [...((definition.environment as Json[]) ?? []), ...((override.environment as Json[]) ?? [])]) {
      environment[String(pair.name)] = String(pair.value ?? '');
    }
    // The secrets last: a variable both sets is the secret's (ECS refuses a definition naming one in both).
    Object.assign(environment, secrets.get(definition.name));
    const healthCheck = definition.healthCheck as Json | undefined;
    return {
      name: definition.name,
      image: definition.image,
      essential: definition.essential !== false,
      command: (override.command as string[] | undefined) ?? (definition.command as string[] | undefined),
      entryPoint: definition.entryPoint as string[] | undefined,
      environment,
      portMappings: definition.portMappings as RuntimeContainer['portMappings'],
      stopTimeout: definition.stopTimeout as number | undefined,
      healthCheck: healthCheck
        ? {
            command: (healthCheck.command as string[]) ?? [],
            interval: (healthCheck.interval as number) ?? 30,
            timeout: (healthCheck.timeout as number) ?? 5,
            retries: (healthCheck.retries as number) ?? 3,
            startPeriod: (healthCheck.startPeriod as number) ?? 0,
          }
        : undefined,
    };
  });
  return { taskArn: task.arn, taskId: task.id, family: task.family, containers };
}

function beginPending(ctx: Context, task: TaskRecord): void {
  if (task.desiredStatus === 'STOPPED') return;
  task.lastStatus = 'PENDING';
  task.pullStartedAt = ctx.clock.now();
  task.version++;
  // The agent fetches the secrets and registry credentials first, with the execution role (tasks/execution-role); one
  // it cannot have stops the task (runtime/secrets).
  const containers = definitions(task, ctx);
  const access = secretReferenced(containers) ? executionRoleAccess(ctx, executionRoleOf(task, ctx), task.id) : undefined;
  if (access && 'refusal' in access) {
    ctx.clock.after(SECRETS_FAIL_MS, () => onFailedToStart(ctx, task, access.refusal, containers[0]?.name));
    return;
  }
  const secrets = resolveTaskSecrets({ ssm: ctx.ssm, secretsManager: ctx.secretsManager, authorize: access?.authorize }, containers);
  if ('reason' in secrets) {
    ctx.clock.after(SECRETS_FAIL_MS, () => onFailedToStart(ctx, task, secrets.reason, secrets.container));
    return;
  }
  ctx.runtime.start(runtimeTask(ctx, task, secrets.environments), {
    started: (bindings) => onStarted(ctx, task, bindings),
    failedToStart: (reason, container) => onFailedToStart(ctx, task, reason, container),
    log: (container, line) => writeLog(ctx, task, container, line),
    health: (container, status) => onHealth(ctx, task, container, status),
    exited: (container, exitCode, reason) => onExited(ctx, task, container, exitCode, reason),
  });
}

function onStarted(ctx: Context, task: TaskRecord, bindings?: Record<string, NetworkBinding[]>): void {
  if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return;
  const now = ctx.clock.now();
  task.pullStoppedAt = now;
  task.startedAt = now;
  task.lastStatus = 'RUNNING';
  for (const container of task.containers) {
    container.lastStatus = 'RUNNING';
    if (bindings?.[container.name]) container.networkBindings = bindings[container.name];
  }
  task.version++;
  const targets = registerTaskTargets(ctx, task);
  if (targets.length > 0) task.targets = targets;
  ctx.taskEvents.emit({ kind: 'running', task, deploymentId: task.deploymentId });
  record(ctx, {
    kind: 'task-started',
    cluster: task.cluster,
    serviceName: task.serviceName,
    deploymentId: task.deploymentId,
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
  });
  ctx.kick();
}

function onFailedToStart(ctx: Context, task: TaskRecord, reason: string, containerName?: string): void {
  if (task.lastStatus === 'STOPPED') return;
  const now = ctx.clock.now();
  if (task.desiredStatus === 'RUNNING') {
    task.desiredStatus = 'STOPPED';
    task.stopCode = 'TaskFailedToStart';
    task.stoppedReason = reason;
    task.stoppingAt = now;
  }
  const container = task.containers.find((c) => c.name === containerName) ?? task.containers[0];
  if (container) container.reason = reason;
  task.pullStoppedAt = now;
  finalize(ctx, task, []);
}

/** The awslogs driver: group `awslogs-group`, stream `<prefix>/<container>/<task id>` (Using the awslogs log driver). */
function writeLog(ctx: Context, task: TaskRecord, containerName: string, line: string): void {
  const definition = definitions(task, ctx).find((d) => d.name === containerName);
  const config = definition?.logConfiguration as { logDriver?: string; options?: Record<string, string> } | undefined;
  if (config?.logDriver !== 'awslogs' || !config.options?.['awslogs-group']) return;
  const prefix = config.options['awslogs-stream-prefix'];
  const stream = prefix ? `${prefix}/${containerName}/${task.id}` : task.id;
  ctx.logs.write(config.options['awslogs-group'], stream, line, ctx.clock.now());
}

function onHealth(ctx: Context, task: TaskRecord, containerName: string, status: 'HEALTHY' | 'UNHEALTHY'): void {
  const container = task.containers.find((c) => c.name === containerName);
  // The agent only reports health checks defined in the task definition (HealthCheck, API reference).
  if (!container?.hasHealthCheck || task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return;
  container.healthStatus = status;
  const checked = task.containers.filter((c) => c.essential && c.hasHealthCheck);
  const previous = task.healthStatus;
  if (checked.some((c) => c.healthStatus === 'UNHEALTHY')) task.healthStatus = 'UNHEALTHY';
  else if (checked.length > 0 && checked.every((c) => c.healthStatus === 'HEALTHY')) task.healthStatus = 'HEALTHY';
  else task.healthStatus = 'UNKNOWN';
  if (task.healthStatus !== previous) task.version++;
  // The service scheduler replaces unhealthy tasks (scheduler/unhealthy); a standalone task just reports UNHEALTHY.
  if (task.healthStatus === 'UNHEALTHY') ctx.taskEvents.emit({ kind: 'unhealthy', task, deploymentId: task.deploymentId });
  else if (task.healthStatus === 'HEALTHY') ctx.taskEvents.emit({ kind: 'healthy', task, deploymentId: task.deploymentId });
  ctx.kick();
}

function onExited(ctx: Context, task: TaskRecord, containerName: string, exitCode: number, reason?: string): void {
  const container = task.containers.find((c) => c.name === containerName);
  if (!container || container.lastStatus === 'STOPPED') return;
  container.lastStatus = 'STOPPED';
  container.exitCode = exitCode;
  if (reason) container.reason = reason;
  task.version++;
  if (!container.essential || task.desiredStatus === 'STOPPED') return;
  // Any essential container stopping stops the task (ContainerDefinition.essential, API reference).
  stopTask(ctx, task, 'EssentialContainerExited', 'Essential container in task exited');
  task.executionStoppedAt = ctx.clock.now();
}

/** Asks a task to stop, as StopTask or the service scheduler do. */
export function stopTask(ctx: Context, task: TaskRecord, stopCode: string, reason: string): void {
  if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return;
  task.desiredStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = ctx.clock.now();
  task.version++;
  // The caller's answer still shows the last status; the agent acts a moment later.
  ctx.clock.after(0, () => {
    if (task.lastStatus === 'STOPPED') return;
    const halt = () => {
      if (task.lastStatus === 'STOPPED') return;
      if (task.lastStatus === 'RUNNING' || task.lastStatus === 'DEACTIVATING') task.lastStatus = 'STOPPING';
      task.version++;
      void ctx.runtime.stop(task.arn).then((exits) => finalize(ctx, task, exits));
    };
    if (!task.targets?.length) return halt();
    // "DEACTIVATING: ... If the task is part of a service that's configured to use Elastic Load
    // Balancing, the load balancer deregistration occurs during this state" (developer guide, "Amazon ECS
    // task lifecycle"); ECS waits until the targets have drained, so in-flight requests finish before the
    // container gets SIGTERM (developer guide, "Optimize load balancer connection draining parameters").
    if (task.lastStatus === 'RUNNING') {
      task.lastStatus = 'DEACTIVATING';
      task.version++;
    }
    void deregisterTaskTargets(ctx, task).then(halt);
  });
}

function finalize(ctx: Context, task: TaskRecord, exits: ContainerExit[]): void {
  if (task.lastStatus === 'STOPPED') return;
  const now = ctx.clock.now();
  for (const container of task.containers) {
    const exit = exits.find((e) => e.name === container.name);
    if (exit?.exitCode !== undefined && container.exitCode === undefined) container.exitCode = exit.exitCode;
    if (exit?.reason && !container.reason) container.reason = exit.reason;
    container.lastStatus = 'STOPPED';
  }
  task.lastStatus = 'STOPPED';
  task.stoppedAt = now;
  task.executionStoppedAt ??= now;
  task.connectivity = 'DISCONNECTED';
  task.version++;
  const essential = task.containers.find((c) => c.essential && c.exitCode !== undefined);
  record(ctx, {
    kind: 'task-stopped',
    cluster: task.cluster,
    serviceName: task.serviceName,
    deploymentId: task.deploymentId,
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    exitCode: essential?.exitCode,
  });
  ctx.taskEvents.emit({
    kind: 'stopped',
    task,
    deploymentId: task.deploymentId,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    exitCode: essential?.exitCode,
  });
  ctx.kick();
}
