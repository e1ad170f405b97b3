/** ECS records as the wire returns them: epoch-second timestamps, computed counts, no internal fields. */
import type { Context } from '../context';
import { counts, isActive, tasksOfDeployment, tasksOfService } from './queries';
import type {
  ClusterRecord,
  DeploymentRecord,
  Json,
  ServiceDeploymentRecord,
  ServiceRecord,
  ServiceRevisionRecord,
  TaskDefinitionRecord,
  TaskRecord,
  TaskSetRecord,
} from './state';
import { tagsOf } from './tags';

export const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** Drops undefined members so the JSON has no nulls ECS would not send. */
function compact<T extends Json>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

export function renderTaskDefinition(record: TaskDefinitionRecord): Json {
  return compact({
    taskDefinitionArn: record.arn,
    ...record.body,
    family: record.family,
    revision: record.revision,
    status: record.status,
    registeredAt: seconds(record.registeredAt),
    deregisteredAt: seconds(record.deregisteredAt),
  });
}

export function renderCluster(ctx: Context, cluster: ClusterRecord, include: string[]): Json {
  let running = 0;
  let pending = 0;
  for (const task of ctx.ecs.tasks.values()) {
    if (task.cluster !== cluster.name) continue;
    if (task.lastStatus === 'RUNNING') running++;
    else if (task.lastStatus !== 'STOPPED') pending++;
  }
  const services = ctx.ecs.services.filter((s) => s.cluster === cluster.name && s.status === 'ACTIVE').length;
  return compact({
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: services,
    statistics: [],
    tags: include.includes('TAGS') ? tagsOf(ctx, cluster.arn) : [],
    settings: include.includes('SETTINGS') ? cluster.settings : undefined,
    configuration: include.includes('CONFIGURATIONS') ? cluster.configuration : undefined,
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
  });
}

export function renderDeployment(ctx: Context, deployment: DeploymentRecord): Json {
  const { running, pending } = counts(tasksOfDeployment(ctx, deployment.id));
  return compact({
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.taskDefinitionArn,
    desiredCount: deployment.desiredCount,
    pendingCount: pending,
    runningCount: running,
    failedTasks: deployment.failedTasks,
    createdAt: seconds(deployment.createdAt),
    updatedAt: seconds(deployment.updatedAt),
    capacityProviderStrategy: deployment.capacityProviderStrategy,
    launchType: deployment.launchType,
    platformVersion: deployment.platformVersion,
    platformFamily: deployment.platformFamily,
    networkConfiguration: deployment.networkConfiguration,
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
  });
}

/** TaskSet (API reference). */
export function renderTaskSet(ctx: Context, service: ServiceRecord, taskSet: TaskSetRecord): Json {
  const { running, pending } = counts(tasksOfDeployment(ctx, taskSet.id));
  return compact({
    id: taskSet.id,
    taskSetArn: taskSet.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    startedBy: taskSet.startedBy,
    externalId: taskSet.externalId,
    status: taskSet.status,
    taskDefinition: taskSet.taskDefinitionArn,
    computedDesiredCount: taskSet.computedDesiredCount,
    pendingCount: pending,
    runningCount: running,
    createdAt: seconds(taskSet.createdAt),
    updatedAt: seconds(taskSet.updatedAt),
    launchType: taskSet.launchType,
    capacityProviderStrategy: taskSet.capacityProviderStrategy,
    platformVersion: taskSet.platformVersion,
    platformFamily: taskSet.platformFamily,
    networkConfiguration: taskSet.networkConfiguration,
    loadBalancers: taskSet.loadBalancers,
    serviceRegistries: [],
    scale: { value: taskSet.scalePercent, unit: 'PERCENT' },
    stabilityStatus: taskSet.stabilityStatus,
    stabilityStatusAt: seconds(taskSet.stabilityStatusAt),
  });
}

export function renderService(ctx: Context, service: ServiceRecord, include: string[] = []): Json {
  const { running, pending } = counts(tasksOfService(ctx, service));
  const revisions = new Map<string, { running: number; pending: number; requested: number }>();
  for (const deployment of service.deployments) {
    const tasks = tasksOfDeployment(ctx, deployment.id);
    const entry = revisions.get(deployment.serviceRevisionArn) ?? { running: 0, pending: 0, requested: 0 };
    const c = counts(tasks);
    entry.running += c.running;
    entry.pending += c.pending;
    entry.requested += deployment.status === 'PRIMARY' ? deployment.desiredCount : tasks.filter(isActive).length;
    revisions.set(deployment.serviceRevisionArn, entry);
  }
  return compact({
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: service.serviceRegistries,
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: running,
    pendingCount: pending,
    launchType: service.launchType,
    capacityProviderStrategy: service.capacityProviderStrategy,
    platformVersion: service.platformVersion,
    platformFamily: service.platformFamily,
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments: service.deployments.map((d) => renderDeployment(ctx, d)),
    // A CODE_DEPLOY service shows its task sets; its deployments list stays empty (*unconfirmed*).
    taskSets: service.deploymentController.type === 'CODE_DEPLOY' ? service.taskSets.map((t) => renderTaskSet(ctx, service, t)) : undefined,
    events: service.events.map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
    createdAt: seconds(service.createdAt),
    currentServiceDeployment: service.currentServiceDeploymentArn,
    currentServiceRevisions: [...revisions.entries()].map(([arn, c]) => ({
      arn,
      requestedTaskCount: c.requested,
      runningTaskCount: c.running,
      pendingTaskCount: c.pending,
    })),
    placementConstraints: service.placementConstraints,
    placementStrategy: service.placementStrategy,
    networkConfiguration: service.networkConfiguration,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: service.deploymentController,
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    tags: include.includes('TAGS') ? tagsOf(ctx, service.arn) : undefined,
  });
}

function renderAttachment(task: TaskRecord): Json[] {
  const status = task.lastStatus === 'STOPPED' ? 'DELETED' : task.lastStatus === 'PROVISIONING' ? 'PRECREATED' : 'ATTACHED';
  return task.attachments.map((attachment) => ({ ...attachment, status }));
}

export function renderTask(ctx: Context, task: TaskRecord, include: string[] = []): Json {
  const eni = task.attachments[0]?.details as Array<{ name: string; value: string }> | undefined;
  const ip = eni?.find((d) => d.name === 'privateIPv4Address')?.value;
  return compact({
    attachments: renderAttachment(task),
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    capacityProviderName: task.capacityProviderName,
    clusterArn: task.clusterArn,
    connectivity: task.connectivity,
    connectivityAt: seconds(task.connectivityAt),
    containers: task.containers.map((c) =>
      compact({
        containerArn: c.arn,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        runtimeId: c.lastStatus === 'PENDING' ? undefined : c.runtimeId,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        networkBindings: c.networkBindings ?? [],
        networkInterfaces: ip ? [{ attachmentId: task.attachments[0].id, privateIpv4Address: ip }] : [],
        healthStatus: c.healthStatus,
        cpu: c.cpu,
        memory: c.memory,
        memoryReservation: c.memoryReservation,
      }),
    ),
    cpu: task.cpu,
    createdAt: seconds(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: task.enableExecuteCommand,
    executionStoppedAt: seconds(task.executionStoppedAt),
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: task.memory,
    overrides: task.overrides,
    platformVersion: task.platformVersion,
    platformFamily: task.platformFamily,
    pullStartedAt: seconds(task.pullStartedAt),
    pullStoppedAt: seconds(task.pullStoppedAt),
    startedAt: seconds(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: seconds(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: seconds(task.stoppingAt),
    tags: include.includes('TAGS') ? tagsOf(ctx, task.arn) : undefined,
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
    ephemeralStorage: task.launchType === 'FARGATE' ? { sizeInGiB: 20 } : undefined,
  });
}

export function renderServiceRevision(revision: ServiceRevisionRecord): Json {
  return compact({
    serviceRevisionArn: revision.arn,
    serviceArn: revision.serviceArn,
    clusterArn: revision.clusterArn,
    taskDefinition: revision.taskDefinitionArn,
    capacityProviderStrategy: revision.capacityProviderStrategy,
    launchType: revision.launchType,
    platformVersion: revision.platformVersion,
    platformFamily: revision.platformFamily,
    loadBalancers: revision.loadBalancers,
    serviceRegistries: [],
    networkConfiguration: revision.networkConfiguration,
    containerImages: revision.containerImages,
    guardDutyEnabled: false,
    resolvedConfiguration: revision.resolvedLoadBalancers ? { loadBalancers: revision.resolvedLoadBalancers } : undefined,
    createdAt: seconds(revision.createdAt),
  });
}

function revisionSummary(ctx: Context, sd: ServiceDeploymentRecord, arn: string, target: boolean): Json {
  const service = ctx.ecs.services.find((s) => s.arn === sd.serviceArn);
  const tasks = (service?.deployments ?? []).filter((d) => d.serviceRevisionArn === arn).flatMap((d) => tasksOfDeployment(ctx, d.id));
  const { running, pending } = counts(tasks);
  // The target asks for the desired count while it is being deployed or stands; otherwise (sources, or a
  // target that was stopped or rolled back) a revision asks for the tasks it still has.
  const wanted = target && ['PENDING', 'IN_PROGRESS', 'SUCCESSFUL'].includes(sd.status);
  const requested = wanted ? (service?.desiredCount ?? 0) : tasks.filter(isActive).length;
  const summary: Json = { arn, requestedTaskCount: requested, runningTaskCount: running, pendingTaskCount: pending };
  // Traffic-shifting deployments: the share of test and production traffic this revision is meant to get.
  if (sd.productionTrafficWeight !== undefined) {
    const share = (green: number | undefined) => (target ? (green ?? 0) : 100 - (green ?? 0));
    summary.requestedTestTrafficWeight = share(sd.testTrafficWeight);
    summary.requestedProductionTrafficWeight = share(sd.productionTrafficWeight);
  }
  return summary;
}

export function renderServiceDeployment(ctx: Context, sd: ServiceDeploymentRecord): Json {
  return compact({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    createdAt: seconds(sd.createdAt),
    startedAt: seconds(sd.startedAt),
    finishedAt: seconds(sd.finishedAt),
    stoppedAt: seconds(sd.stoppedAt),
    updatedAt: seconds(sd.updatedAt),
    sourceServiceRevisions: sd.sourceServiceRevisionArns.map((arn) => revisionSummary(ctx, sd, arn, false)),
    targetServiceRevision: revisionSummary(ctx, sd, sd.targetServiceRevisionArn, true),
    status: sd.status,
    statusReason: sd.statusReason,
    deploymentConfiguration: sd.deploymentConfiguration,
    lifecycleStage: sd.lifecycleStage,
    lifecycleHookDetails: sd.lifecycleStage
      ? (sd.lifecycleHookDetails ?? []).map((run) =>
          compact({
            hookId: run.hookId,
            targetType: run.targetType,
            targetArn: run.hookTargetArn,
            status: run.status,
            expiresAt: seconds(run.expiresAt),
            timeoutAction: run.timeoutAction,
          }),
        )
      : undefined,
    rollback: sd.rollback
      ? { reason: sd.rollback.reason, startedAt: seconds(sd.rollback.startedAt), serviceRevisionArn: sd.rollback.serviceRevisionArn }
      : undefined,
    deploymentCircuitBreaker: { status: sd.circuitBreakerStatus, failureCount: sd.failureCount, threshold: sd.threshold },
    alarms: compact({
      status: sd.alarms.status,
      alarmNames: sd.alarms.alarmNames.length ? sd.alarms.alarmNames : undefined,
      triggeredAlarmNames: sd.alarms.triggeredAlarmNames.length ? sd.alarms.triggeredAlarmNames : undefined,
    }),
  });
}

export function renderServiceDeploymentBrief(sd: ServiceDeploymentRecord): Json {
  return compact({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    startedAt: seconds(sd.startedAt),
    createdAt: seconds(sd.createdAt),
    finishedAt: seconds(sd.finishedAt),
    targetServiceRevisionArn: sd.targetServiceRevisionArn,
    status: sd.status,
    statusReason: sd.statusReason,
  });
}
