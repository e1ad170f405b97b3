/**
 * An ECS blue/green deployment walking its lifecycle events on the scheduler's passes (CodeDeploy user guide,
 * "What happens during an Amazon ECS deployment" and "AppSpec 'hooks' section", the order of the events):
 *   BeforeInstall → Install (the replacement task set is created in the green target group and runs the service's
 *   desired count, healthy) → AfterInstall → AllowTestTraffic (the test listener forwards to green) →
 *   AfterAllowTestTraffic → BeforeAllowTraffic → AllowTraffic (the production listener moves to green, in the
 *   configuration's steps; the replacement becomes the PRIMARY task set) → AfterAllowTraffic →
 *   the target Succeeded and the termination wait (terminationWaitTimeInMinutes; the deployment stays
 *   InProgress, aws/containers-roadmap#269) → the original task set deleted → Succeeded.
 * Each event lasts at least EVENT_MIN_MS so that a poller can see it: the sandbox's choice (*unconfirmed*; the
 * guide gives no durations). Hook-less events succeed once that time has passed.
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import { checkLoadBalancedContainers } from '../ecs/load-balancers';
import { findService, findTaskDefinition } from '../ecs/resolve';
import type { ServiceRecord, TaskSetRecord } from '../ecs/state';
import { createTaskSet, deleteTaskSet, makePrimary } from '../ecs/task-sets';
import { groupKey, FINISHED, type DeploymentRecord, type LifecycleEventRecord } from './state';
import { bluePair, routeProductionTraffic, routeTestTraffic } from './traffic';
import { trafficSteps } from './traffic-steps';

export const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

/** How long a lifecycle event lasts at least, in CodeDeploy milliseconds (scaled). */
const EVENT_MIN_MS = 1_000;

export function serviceOf(ctx: Context, deployment: DeploymentRecord): ServiceRecord | undefined {
  const cluster = ctx.ecs.clusters.get(deployment.target.cluster);
  const service = cluster ? findService(ctx, cluster, deployment.target.service) : undefined;
  return service?.status === 'ACTIVE' ? service : undefined;
}

export function taskSetOf(service: ServiceRecord | undefined, id: string | undefined): TaskSetRecord | undefined {
  return id === undefined ? undefined : service?.taskSets.find((t) => t.id === id);
}

export function advanceCodeDeployDeployments(ctx: Context): void {
  for (const deployment of ctx.codedeploy.deployments.values()) {
    if (FINISHED.has(deployment.status)) continue;
    try {
      advance(ctx, deployment);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      fail(ctx, deployment, 'ECS_UPDATE_ERROR', error.message);
    }
  }
}

function touch(ctx: Context, deployment: DeploymentRecord): void {
  deployment.target.lastUpdatedAt = ctx.clock.now();
}

function advance(ctx: Context, deployment: DeploymentRecord): void {
  const now = ctx.clock.now();
  const service = serviceOf(ctx, deployment);
  if (deployment.status === 'Created') return begin(ctx, deployment, service);
  if (!service) return fail(ctx, deployment, 'ECS_UPDATE_ERROR', `The ECS service ${deployment.target.service} does not exist.`);
  if (deployment.target.status === 'Succeeded') {
    if (now >= (deployment.waitUntil ?? now)) finish(ctx, deployment, service);
    return;
  }
  const event = deployment.target.lifecycleEvents[deployment.eventIndex];
  if (event.status === 'Pending') return startEvent(ctx, deployment, service, event);
  if (now - (event.startTime ?? now) < ctx.clock.scaled(EVENT_MIN_MS)) return;
  if (!eventDone(ctx, deployment, service, event)) return;
  event.status = 'Succeeded';
  event.endTime = now;
  deployment.eventIndex += 1;
  touch(ctx, deployment);
  if (deployment.eventIndex < deployment.target.lifecycleEvents.length) return;
  // The target is done; the original task set is kept through the termination wait.
  deployment.target.status = 'Succeeded';
  deployment.instanceTerminationWaitTimeStarted = true;
  const wait = deployment.blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes;
  deployment.waitUntil = now + ctx.clock.scaled(wait * 60_000);
}

/** Created → InProgress on the first pass: the task set serving production now is the original (blue). */
function begin(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord | undefined): void {
  const now = ctx.clock.now();
  deployment.status = 'InProgress';
  deployment.startTime = now;
  deployment.target.status = 'InProgress';
  touch(ctx, deployment);
  if (!service) return fail(ctx, deployment, 'ECS_UPDATE_ERROR', `The ECS service ${deployment.target.service} does not exist.`);
  const pair = bluePair(ctx, deployment.loadBalancerInfo.targetGroupPairInfoList[0]);
  deployment.blueTargetGroupArn = pair.blue;
  deployment.greenTargetGroupArn = pair.green;
  deployment.originalTaskSetId = service.taskSets.find((t) => t.status === 'PRIMARY')?.id;
}

function startEvent(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord, event: LifecycleEventRecord): void {
  event.status = 'InProgress';
  event.startTime = ctx.clock.now();
  touch(ctx, deployment);
  if (event.lifecycleEventName === 'Install') createReplacement(ctx, deployment, service);
  else if (event.lifecycleEventName === 'AllowTestTraffic') routeTestTraffic(ctx, deployment, 100);
  else if (event.lifecycleEventName === 'AllowTraffic') takeTrafficStep(ctx, deployment, service, 0);
}

/**
 * The replacement task set, as CodeDeploy asks ECS for it (CreateTaskSet): ECS refuses a task definition that does
 * not exist or lacks the load-balanced container and port with its InvalidParameterException, which fails the
 * deployment with ECS_UPDATE_ERROR (that CodeDeploy passes ECS's message on as is is *unconfirmed*).
 */
function createReplacement(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord): void {
  const spec = deployment.appSpec;
  const taskDefinition = findTaskDefinition(ctx, spec.taskDefinition);
  if (!taskDefinition || taskDefinition.status !== 'ACTIVE') throw new AwsError('InvalidParameterException', 'TaskDefinition not found.');
  const loadBalancers = [
    { targetGroupArn: deployment.greenTargetGroupArn, containerName: spec.containerName, containerPort: spec.containerPort },
  ];
  checkLoadBalancedContainers(taskDefinition, loadBalancers);
  const taskSet = createTaskSet(ctx, service, {
    taskDefinition,
    status: 'ACTIVE',
    loadBalancers,
    startedBy: 'CodeDeploy',
    externalId: deployment.deploymentId,
    platformVersion: spec.platformVersion,
    networkConfiguration: spec.networkConfiguration,
    capacityProviderStrategy: spec.capacityProviderStrategy,
  });
  deployment.replacementTaskSetId = taskSet.id;
}

function takeTrafficStep(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord, index: number): void {
  const step = trafficSteps(deployment.deploymentConfigName)[index];
  routeProductionTraffic(ctx, deployment, step.percent);
  deployment.waitUntil = step.waitMinutes > 0 ? ctx.clock.now() + ctx.clock.scaled(step.waitMinutes * 60_000) : undefined;
  const replacement = taskSetOf(service, deployment.replacementTaskSetId);
  if (step.percent >= 100 && replacement) makePrimary(ctx, service, replacement);
  touch(ctx, deployment);
}

function eventDone(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord, event: LifecycleEventRecord): boolean {
  if (event.lifecycleEventName === 'Install')
    return taskSetOf(service, deployment.replacementTaskSetId)?.stabilityStatus === 'STEADY_STATE';
  if (event.lifecycleEventName !== 'AllowTraffic') return true;
  if (deployment.productionWeight >= 100) return true;
  if (ctx.clock.now() < (deployment.waitUntil ?? 0)) return false;
  const steps = trafficSteps(deployment.deploymentConfigName);
  takeTrafficStep(
    ctx,
    deployment,
    service,
    steps.findIndex((s) => s.percent > deployment.productionWeight),
  );
  return false;
}

/** The termination wait is over: the original task set is deleted and the deployment Succeeded. */
function finish(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord): void {
  const original = taskSetOf(service, deployment.originalTaskSetId);
  if (original) deleteTaskSet(ctx, service, original);
  end(ctx, deployment, 'Succeeded');
}

function end(ctx: Context, deployment: DeploymentRecord, status: 'Succeeded' | 'Failed' | 'Stopped'): void {
  const now = ctx.clock.now();
  deployment.status = status;
  deployment.completeTime = now;
  deployment.waitUntil = undefined;
  touch(ctx, deployment);
  const group = ctx.codedeploy.deploymentGroups.get(groupKey(deployment.applicationName, deployment.deploymentGroupName));
  const summary = { deploymentId: deployment.deploymentId, status, endTime: now, createTime: deployment.createTime };
  if (group) {
    group.lastAttemptedDeployment = summary;
    if (status === 'Succeeded') group.lastSuccessfulDeployment = summary;
  }
}

/**
 * The deployment failed at the event under way: that event Failed with the error as its diagnostics, the later
 * ones Skipped (*unconfirmed*), the target Failed. A replacement task set that never took production traffic is
 * deleted and the listeners keep (or get back) blue; rerouting after traffic moved is a rollback's work.
 */
export function fail(ctx: Context, deployment: DeploymentRecord, code: string, message: string): void {
  const now = ctx.clock.now();
  deployment.target.lifecycleEvents.forEach((event, index) => {
    if (index === deployment.eventIndex && event.status !== 'Succeeded') {
      event.status = 'Failed';
      event.startTime ??= now;
      event.endTime = now;
      event.diagnostics = { errorCode: 'UnknownError', scriptName: '', message, logTail: '' };
    } else if (index > deployment.eventIndex && event.status === 'Pending') event.status = 'Skipped';
  });
  deployment.target.status = 'Failed';
  deployment.errorInformation = { code, message };
  const service = serviceOf(ctx, deployment);
  const replacement = taskSetOf(service, deployment.replacementTaskSetId);
  if (service && replacement && replacement.status !== 'PRIMARY') {
    routeTestTraffic(ctx, deployment, 0);
    routeProductionTraffic(ctx, deployment, 0);
    deleteTaskSet(ctx, service, replacement);
  }
  end(ctx, deployment, 'Failed');
}
