import type { Context } from '../context';
import { AwsError } from '../errors';
import { invalidParameter, serviceNotActive } from './errors';
import { startDeployment } from './deployments';
import { checkAdvancedConfiguration, checkLoadBalancedContainers, checkLoadBalancers } from './load-balancers';
import { primaryOf } from './queries';
import { renderService } from './render';
import { asArray, findService, findTaskDefinition, requireCluster, requireService } from './resolve';
import type {
  CircuitBreakerRecord,
  ClusterRecord,
  DeploymentAlarmsRecord,
  DeploymentConfigurationRecord,
  Json,
  ServiceRecord,
  TaskDefinitionRecord,
  ThresholdType,
} from './state';
import { applyStrategyConfiguration } from './strategy-configuration';
import { setTags } from './tags';
import { createTaskSet } from './task-sets';
import { paginate } from './task-definitions';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
type Controller = ServiceRecord['deploymentController']['type'];

function requireTaskDefinition(ctx: Context, value: unknown): TaskDefinitionRecord {
  const record = findTaskDefinition(ctx, value);
  if (!record) throw invalidParameter('TaskDefinition not found.');
  if (record.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
  return record;
}

/** Checks ECS makes of where and how a task definition runs (CreateService, UpdateService, RunTask). */
export function checkPlacement(taskDefinition: TaskDefinitionRecord, launchType: unknown, networkConfiguration: unknown): void {
  if (launchType === 'FARGATE' && !(taskDefinition.body.compatibilities as string[]).includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  if (taskDefinition.body.networkMode === 'awsvpc' && !(networkConfiguration as Json | undefined)?.awsvpcConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
}

const THRESHOLD_TYPES = ['COUNT', 'BOUNDED_PERCENT', 'UNBOUNDED_PERCENT'];

/** DeploymentCircuitBreaker (API reference): enable and rollback, and the optional resetOnHealthyTask and thresholdConfiguration. */
function circuitBreaker(given: Json): CircuitBreakerRecord {
  const breaker: CircuitBreakerRecord = { enable: Boolean(given.enable), rollback: Boolean(given.rollback) };
  if (given.resetOnHealthyTask !== undefined) breaker.resetOnHealthyTask = Boolean(given.resetOnHealthyTask);
  const threshold = given.thresholdConfiguration as Json | undefined;
  if (threshold !== undefined) {
    const type = threshold.type ?? 'BOUNDED_PERCENT';
    const value = threshold.value ?? 50;
    if (!THRESHOLD_TYPES.includes(String(type)))
      throw invalidParameter(`thresholdConfiguration.type must be one of ${THRESHOLD_TYPES.join(', ')}.`);
    // The reference gives no range; a threshold below one failure means nothing.
    if (!Number.isInteger(value) || (value as number) < 1)
      throw invalidParameter('thresholdConfiguration.value must be a positive integer.');
    breaker.thresholdConfiguration = { type: type as ThresholdType, value: value as number };
  }
  return breaker;
}

/** DeploymentAlarms (API reference): alarmNames, enable and rollback are all required. */
function deploymentAlarms(given: Json): DeploymentAlarmsRecord {
  if (!Array.isArray(given.alarmNames) || !given.alarmNames.every((name) => typeof name === 'string'))
    throw invalidParameter('alarms.alarmNames must be a list of alarm names.');
  if (typeof given.enable !== 'boolean' || typeof given.rollback !== 'boolean')
    throw invalidParameter('alarms.enable and alarms.rollback are required.');
  return { alarmNames: [...(given.alarmNames as string[])], enable: given.enable, rollback: given.rollback };
}

function deploymentConfiguration(input: unknown, base?: DeploymentConfigurationRecord): DeploymentConfigurationRecord {
  const given = (input ?? {}) as Json;
  const breaker = given.deploymentCircuitBreaker as Json | undefined;
  // Defaults for REPLICA services: 200% / 100%, no circuit breaker (DeploymentConfiguration, API reference).
  const config: DeploymentConfigurationRecord = {
    ...(base ?? {}),
    maximumPercent: (given.maximumPercent as number | undefined) ?? base?.maximumPercent ?? 200,
    minimumHealthyPercent: (given.minimumHealthyPercent as number | undefined) ?? base?.minimumHealthyPercent ?? 100,
    deploymentCircuitBreaker: breaker ? circuitBreaker(breaker) : (base?.deploymentCircuitBreaker ?? { enable: false, rollback: false }),
  };
  if (given.alarms !== undefined) config.alarms = deploymentAlarms(given.alarms as Json);
  applyStrategyConfiguration(given, config);
  if (config.minimumHealthyPercent < 0 || config.minimumHealthyPercent > 100) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  if (config.maximumPercent < config.minimumHealthyPercent) {
    throw invalidParameter('maximumPercent must be greater than or equal to minimumHealthyPercent.');
  }
  return config;
}

const PROPAGATE_TAGS = ['TASK_DEFINITION', 'SERVICE', 'NONE'];
/** "a health check grace period of up to 2,147,483,647 seconds" (UpdateService, API reference). */
const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647;

type ServiceSettings = Partial<
  Pick<ServiceRecord, 'enableExecuteCommand' | 'propagateTags' | 'enableECSManagedTags' | 'healthCheckGracePeriodSeconds'>
>;

/**
 * The settings CreateService and UpdateService take beside the deployment: only those given (null leaves a setting
 * as it is: "If you do not want to override the value that was set when the service was created, you can set this
 * to null", UpdateService enableExecuteCommand). A boolean of another JSON type does not decode (awsJson1_1); an
 * unknown propagateTags and a grace period outside 0 to 2,147,483,647 are refused as InvalidParameterException,
 * whose wording here is *unconfirmed*.
 */
function serviceSettings(input: Json): ServiceSettings {
  const settings: ServiceSettings = {};
  const flag = (name: 'enableExecuteCommand' | 'enableECSManagedTags') => {
    const value = input[name];
    if (value === undefined || value === null) return;
    if (typeof value !== 'boolean') throw new AwsError('com.amazon.coral.service#SerializationException', undefined);
    settings[name] = value;
  };
  flag('enableExecuteCommand');
  flag('enableECSManagedTags');
  const propagate = input.propagateTags;
  if (propagate !== undefined && propagate !== null) {
    if (typeof propagate !== 'string' || !PROPAGATE_TAGS.includes(propagate))
      throw invalidParameter(`Invalid propagateTags value: ${String(propagate)}. Valid values are ${PROPAGATE_TAGS.join(', ')}.`);
    settings.propagateTags = propagate;
  }
  const grace = input.healthCheckGracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS)
      throw invalidParameter(`healthCheckGracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}.`);
    settings.healthCheckGracePeriodSeconds = grace;
  }
  return settings;
}

/**
 * ECS Exec needs a task role (the SSM agent's channel uses its credentials, developer guide "ECS Exec"): UpdateService
 * with enableExecuteCommand true on a service whose task definition has none is refused, in the words users of the
 * CLI and toolkits have quoted from ECS (aws/aws-cli#6242, aws/aws-toolkit-jetbrains#3649).
 */
function checkExecuteCommandRole(taskDefinition: TaskDefinitionRecord): void {
  if (!taskDefinition.body.taskRoleArn)
    throw invalidParameter(
      "The service couldn't be updated because a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again.",
    );
}

export function createService(ctx: Context, input: Json): ServiceRecord {
  const cluster: ClusterRecord = requireCluster(ctx, input.cluster);
  const name = input.serviceName;
  if (typeof name !== 'string' || !NAME.test(name))
    throw invalidParameter('Service name must be 1-255 letters, numbers, hyphens and underscores.');
  const existing = findService(ctx, cluster, name);
  if (existing && existing.status !== 'INACTIVE') throw invalidParameter('Creation of service was not idempotent.');
  const controller = ((input.deploymentController as Json | undefined)?.type as Controller | undefined) ?? 'ECS';
  if (!['ECS', 'CODE_DEPLOY', 'EXTERNAL'].includes(controller))
    throw invalidParameter(`Unknown deployment controller type: ${controller}.`);
  const schedulingStrategy = (input.schedulingStrategy as 'REPLICA' | 'DAEMON' | undefined) ?? 'REPLICA';
  const taskDefinition =
    controller === 'EXTERNAL' && input.taskDefinition === undefined ? undefined : requireTaskDefinition(ctx, input.taskDefinition);
  if (schedulingStrategy === 'REPLICA' && typeof input.desiredCount !== 'number') {
    throw invalidParameter('The desired count must be specified for services using the REPLICA scheduling strategy.');
  }
  const capacityProviderStrategy = asArray<Json>(input.capacityProviderStrategy);
  const launchType = (input.launchType as string | undefined) ?? (capacityProviderStrategy.length ? undefined : 'EC2');
  if (taskDefinition) checkPlacement(taskDefinition, launchType, input.networkConfiguration);
  checkLoadBalancers(ctx, taskDefinition, asArray<Json>(input.loadBalancers));
  // API reference, CreateService loadBalancers: "If the service uses the CODE_DEPLOY deployment controller, the
  // service is required to use either an Application Load Balancer or Network Load Balancer." ECS's wording of the
  // refusal is *unconfirmed*.
  if (controller === 'CODE_DEPLOY' && !asArray<Json>(input.loadBalancers).some((lb) => lb.targetGroupArn !== undefined))
    throw invalidParameter(
      'A service with the CODE_DEPLOY deployment controller requires an Application Load Balancer or Network Load Balancer target group.',
    );
  const configuration = deploymentConfiguration(input.deploymentConfiguration);
  checkAdvancedConfiguration(ctx, configuration.strategy, asArray<Json>(input.loadBalancers));
  const fargate = launchType === 'FARGATE' || capacityProviderStrategy.some((s) => String(s.capacityProvider).startsWith('FARGATE'));
  const now = ctx.clock.now();
  const service: ServiceRecord = {
    arn: ctx.arns.service(cluster.name, name),
    name,
    clusterArn: cluster.arn,
    cluster: cluster.name,
    status: 'ACTIVE',
    desiredCount: (input.desiredCount as number | undefined) ?? 0,
    taskDefinitionArn: taskDefinition?.arn,
    launchType,
    platformVersion: fargate ? ((input.platformVersion as string | undefined) ?? 'LATEST') : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    capacityProviderStrategy: capacityProviderStrategy.length ? capacityProviderStrategy : undefined,
    networkConfiguration: input.networkConfiguration as Json | undefined,
    loadBalancers: asArray<Json>(input.loadBalancers),
    serviceRegistries: asArray<Json>(input.serviceRegistries),
    deploymentConfiguration: configuration,
    deploymentController: { type: controller },
    schedulingStrategy,
    placementConstraints: asArray<Json>(input.placementConstraints),
    placementStrategy: asArray<Json>(input.placementStrategy),
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    ...serviceSettings(input),
    createdAt: now,
    createdBy: ctx.arns.principal(),
    deployments: [],
    taskSets: [],
    events: [],
    steady: false,
    throttle: { failures: 0, resumeAt: 0, announced: false },
  };
  ctx.ecs.services.push(service);
  setTags(ctx, service.arn, input.tags);
  // Only the rolling update controller deploys by itself; CodeDeploy and external controllers use task sets.
  if (controller === 'ECS' && taskDefinition) startDeployment(ctx, service, taskDefinition);
  if (controller === 'CODE_DEPLOY' && taskDefinition) createTaskSet(ctx, service, { taskDefinition, status: 'PRIMARY' });
  return service;
}

function updateService(ctx: Context, input: Json): ServiceRecord {
  const cluster = requireCluster(ctx, input.cluster);
  const service = requireService(ctx, cluster, input.service);
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  const controller = service.deploymentController.type;
  const redeploys = input.taskDefinition !== undefined || input.forceNewDeployment === true || input.networkConfiguration !== undefined;
  if (controller !== 'ECS' && redeploys) {
    throw invalidParameter(
      controller === 'CODE_DEPLOY'
        ? 'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'
        : 'Unable to update task definition on services with a EXTERNAL deployment controller. Please use Task Set.',
    );
  }
  // UpdateService (API reference): under CODE_DEPLOY "only the desired count, deployment configuration, health check
  // grace period, task placement constraints and strategies, enable ECS managed tags option, and propagate tags can
  // be updated", under EXTERNAL the same less the deployment configuration: enableExecuteCommand is refused there.
  // That ECS refuses it even when it equals the service's value, and its wording, are *unconfirmed*.
  if (controller !== 'ECS' && input.enableExecuteCommand !== undefined && input.enableExecuteCommand !== null)
    throw invalidParameter(
      `Unable to update enableExecuteCommand on services with a ${controller} deployment controller.` +
        (controller === 'CODE_DEPLOY' ? ' Use AWS CodeDeploy to trigger a new deployment.' : ''),
    );
  const settings = serviceSettings(input);
  const taskDefinition = input.taskDefinition !== undefined ? requireTaskDefinition(ctx, input.taskDefinition) : undefined;
  const current = primaryOf(service);
  const nextDefinition = taskDefinition ?? (current ? findTaskDefinition(ctx, current.taskDefinitionArn) : undefined);
  const networkConfiguration = (input.networkConfiguration as Json | undefined) ?? service.networkConfiguration;
  if (taskDefinition) checkPlacement(taskDefinition, service.launchType, networkConfiguration);
  if (settings.enableExecuteCommand && nextDefinition) checkExecuteCommandRole(nextDefinition);
  if (taskDefinition) checkLoadBalancedContainers(taskDefinition, service.loadBalancers);
  const configuration =
    input.deploymentConfiguration !== undefined
      ? deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration)
      : undefined;
  if (configuration) checkAdvancedConfiguration(ctx, configuration.strategy, service.loadBalancers);
  if (input.desiredCount !== undefined) {
    if (typeof input.desiredCount !== 'number' || input.desiredCount < 0)
      throw invalidParameter('desiredCount must be a non-negative integer.');
    if (input.desiredCount !== service.desiredCount) service.steady = false;
    service.desiredCount = input.desiredCount;
  }
  if (configuration) service.deploymentConfiguration = configuration;
  // None of these starts a deployment ("This parameter doesn't trigger a new service deployment", UpdateService, API
  // reference): tasks started from now on take enableExecuteCommand (scheduler/task-moves), running ones keep theirs.
  Object.assign(service, settings);
  if (input.platformVersion !== undefined) service.platformVersion = input.platformVersion as string;
  service.networkConfiguration = networkConfiguration;
  // A new deployment starts when what the tasks run changes, or when asked to (UpdateService, API reference).
  const changed =
    (taskDefinition && taskDefinition.arn !== current?.taskDefinitionArn) ||
    input.forceNewDeployment === true ||
    (input.networkConfiguration !== undefined &&
      JSON.stringify(input.networkConfiguration) !== JSON.stringify(current?.networkConfiguration)) ||
    (input.platformVersion !== undefined && input.platformVersion !== current?.platformVersion);
  if (changed && nextDefinition) startDeployment(ctx, service, nextDefinition);
  else ctx.kick();
  return service;
}

export const serviceOperations = {
  CreateService(ctx: Context, input: Json) {
    return { service: renderService(ctx, createService(ctx, input)) };
  },

  UpdateService(ctx: Context, input: Json) {
    return { service: renderService(ctx, updateService(ctx, input)) };
  },

  DescribeServices(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const names = asArray(input.services);
    if (names.length === 0 || names.length > 10) throw invalidParameter('services must contain between 1 and 10 names or ARNs.');
    const include = asArray<string>(input.include);
    const services: Json[] = [];
    const failures: Json[] = [];
    for (const value of names) {
      const service = typeof value === 'string' ? findService(ctx, cluster, value) : undefined;
      if (service) services.push(renderService(ctx, service, include));
      else
        failures.push({
          arn: typeof value === 'string' && value.startsWith('arn:') ? value : ctx.arns.service(cluster.name, String(value)),
          reason: 'MISSING',
        });
    }
    return { services, failures };
  },

  ListServices(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const arns = ctx.ecs.services
      .filter((s) => s.cluster === cluster.name && s.status !== 'INACTIVE')
      .filter((s) => input.launchType === undefined || s.launchType === input.launchType)
      .filter((s) => input.schedulingStrategy === undefined || s.schedulingStrategy === input.schedulingStrategy)
      .map((s) => s.arn);
    return paginate(arns, input, 'serviceArns', 100, 10);
  },

  DeleteService(ctx: Context, input: Json) {
    const cluster = requireCluster(ctx, input.cluster);
    const service = requireService(ctx, cluster, input.service);
    if (service.status === 'ACTIVE') {
      if (service.desiredCount > 0 && input.force !== true)
        throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
      service.desiredCount = 0;
      service.status = service.deploymentController.type === 'ECS' ? 'DRAINING' : 'INACTIVE';
      service.deletedAt = ctx.clock.now();
      // "When you delete a service, Amazon ECS deletes the corresponding service deployments" (developer guide,
      // "View service history using Amazon ECS service deployments"): one in progress does not linger
      // IN_PROGRESS; DescribeServiceDeployments answers MISSING for it. That it is gone at once, not once the
      // service is INACTIVE, is *unconfirmed*.
      for (const [arn, sd] of ctx.ecs.serviceDeployments) if (sd.serviceArn === service.arn) ctx.ecs.serviceDeployments.delete(arn);
      service.currentServiceDeploymentArn = undefined;
      ctx.kick();
    }
    return { service: renderService(ctx, service) };
  },
};
