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
 * guide gives no durations). An event whose AppSpec hook has not answered Succeeded waits for it (codedeploy/hooks).
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import { checkLoadBalancedContainers } from '../ecs/load-balancers';
import { findTaskDefinition } from '../ecs/resolve';
import { tasksOfDeployment } from '../ecs/queries';
import type { ServiceRecord, TaskSetRecord } from '../ecs/state';
import { createTaskSet, deleteTaskSet, makePrimary } from '../ecs/task-sets';
import { end, fail, stop } from './halt';
import { HOOK_FAILED, hookAnswered, invokeHook } from './hooks';
import { serviceOf, taskSetOf, touch } from './resolve';
import { FINISHED, type DeploymentRecord, type LifecycleEventRecord } from './state';
import { bluePair, missingTrafficResource, routeProductionTraffic, routeTestTraffic } from './traffic';
import { trafficSteps } from './traffic-steps';
import { setDeploymentStatus, setLifecycleEventStatus, setTargetStatus } from './progress';
import { ALARM_ACTIVE, activeAlarms, alarmStopMessage, rollsBackOnAlarm } from './alarms';

/** How long a lifecycle event lasts at least, in CodeDeploy milliseconds (scaled). */
const EVENT_MIN_MS = 1_000;
/** Tasks of the replacement that may fail before Install fails (*unconfirmed*, see checkReplacementTasks). */
const FAILED_TASKS_LIMIT = 3;
/** errorInformation of a stop (*unconfirmed* wording). */
const STOPPED_BY_USER = 'The deployment was stopped by a user.';
const READY_WAIT_TIMED_OUT =
  'The deployment timed out while waiting for ContinueDeployment to reroute traffic (deploymentReadyOption STOP_DEPLOYMENT).';

export function advanceCodeDeployDeployments(ctx: Context): void {
  for (const deployment of ctx.codedeploy.deployments.values()) {
    if (FINISHED.has(deployment.status)) continue;
    try {
      advance(ctx, deployment);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      // A hook's failure carries its own code; anything ECS refused is an ECS_UPDATE_ERROR.
      fail(ctx, deployment, error.type === HOOK_FAILED ? HOOK_FAILED : 'ECS_UPDATE_ERROR', error.message);
    }
  }
}

function advance(ctx: Context, deployment: DeploymentRecord): void {
  const now = ctx.clock.now();
  const service = serviceOf(ctx, deployment);
  if (deployment.stopRequested) return stop(ctx, deployment, 'MANUAL_STOP', STOPPED_BY_USER, deployment.stopRequested.rollback);
  if (deployment.status === 'Created') return begin(ctx, deployment, service);
  const alarms = activeAlarms(ctx, deployment);
  if (alarms.length > 0) return stop(ctx, deployment, ALARM_ACTIVE, alarmStopMessage(alarms), rollsBackOnAlarm(deployment));
  if (!service) return fail(ctx, deployment, 'ECS_UPDATE_ERROR', `The ECS service ${deployment.target.service} does not exist.`);
  if (deployment.status === 'Ready') {
    if (now >= (deployment.waitUntil ?? now)) stop(ctx, deployment, 'TIMEOUT', READY_WAIT_TIMED_OUT, false);
    return;
  }
  if (deployment.target.status === 'Succeeded') {
    if (now >= (deployment.waitUntil ?? now)) finish(ctx, deployment, service);
    return;
  }
  const event = deployment.target.lifecycleEvents[deployment.eventIndex];
  if (event.status === 'Pending') return startEvent(ctx, deployment, service, event);
  if (now - (event.startTime ?? now) < ctx.clock.scaled(EVENT_MIN_MS)) return;
  if (!eventDone(ctx, deployment, service, event)) return;
  event.endTime = now;
  setLifecycleEventStatus(ctx, deployment, event, 'Succeeded');
  deployment.eventIndex += 1;
  touch(ctx, deployment);
  if (deployment.target.lifecycleEvents[deployment.eventIndex]?.lifecycleEventName === 'BeforeAllowTraffic')
    return awaitReady(ctx, deployment);
  if (deployment.eventIndex < deployment.target.lifecycleEvents.length) return;
  // The target is done; the original task set is kept through the termination wait.
  deployment.instanceTerminationWaitTimeStarted = true;
  setTargetStatus(ctx, deployment, 'Succeeded');
  const wait = deployment.blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes;
  deployment.waitUntil = now + ctx.clock.scaled(wait * 60_000);
}

/** Created → InProgress on the first pass: the task set serving production now is the original (blue). */
function begin(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord | undefined): void {
  const now = ctx.clock.now();
  deployment.startTime = now;
  setDeploymentStatus(ctx, deployment, 'InProgress');
  setTargetStatus(ctx, deployment, 'InProgress');
  touch(ctx, deployment);
  if (!service) return fail(ctx, deployment, 'ECS_UPDATE_ERROR', `The ECS service ${deployment.target.service} does not exist.`);
  if (deployment.rollbackTo) {
    // A rollback routes back to the original task set, which runs already, and removes the replacement.
    deployment.blueTargetGroupArn = deployment.rollbackTo.blueTargetGroupArn;
    deployment.greenTargetGroupArn = deployment.rollbackTo.greenTargetGroupArn;
    deployment.originalTaskSetId = deployment.rollbackTo.removeTaskSetId;
    deployment.replacementTaskSetId = deployment.rollbackTo.taskSetId;
    return;
  }
  const missing = missingTrafficResource(ctx, deployment.loadBalancerInfo.targetGroupPairInfoList[0]);
  if (missing) return fail(ctx, deployment, 'ELASTIC_LOAD_BALANCING_INVALID', missing);
  const pair = bluePair(ctx, deployment.loadBalancerInfo.targetGroupPairInfoList[0]);
  deployment.blueTargetGroupArn = pair.blue;
  deployment.greenTargetGroupArn = pair.green;
  deployment.originalTaskSetId = service.taskSets.find((t) => t.status === 'PRIMARY')?.id;
}

/**
 * deploymentReadyOption STOP_DEPLOYMENT: once test traffic reaches the replacement, the deployment is Ready and
 * waits for ContinueDeployment READY_WAIT; "If traffic rerouting is not started before the end of the specified
 * wait period, the deployment status is changed to Stopped" (DeploymentReadyOption, API reference). That the wait
 * sits between AfterAllowTestTraffic and BeforeAllowTraffic, and its TIMEOUT code, are *unconfirmed*.
 */
function awaitReady(ctx: Context, deployment: DeploymentRecord): void {
  const ready = deployment.blueGreenDeploymentConfiguration.deploymentReadyOption;
  if (ready.actionOnTimeout !== 'STOP_DEPLOYMENT' || deployment.readyContinued) return;
  deployment.waitUntil = ctx.clock.now() + ctx.clock.scaled(ready.waitTimeInMinutes * 60_000);
  setDeploymentStatus(ctx, deployment, 'Ready');
  setTargetStatus(ctx, deployment, 'Ready');
}

function startEvent(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord, event: LifecycleEventRecord): void {
  event.startTime = ctx.clock.now();
  setLifecycleEventStatus(ctx, deployment, event, 'InProgress');
  touch(ctx, deployment);
  invokeHook(ctx, deployment, event);
  if (event.lifecycleEventName === 'Install' && !deployment.rollbackTo) createReplacement(ctx, deployment, service);
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
  if (!hookAnswered(ctx, event)) return false;
  if (event.lifecycleEventName === 'Install') {
    const replacement = taskSetOf(service, deployment.replacementTaskSetId);
    if (replacement && !deployment.rollbackTo) checkReplacementTasks(ctx, replacement);
    return replacement?.stabilityStatus === 'STEADY_STATE';
  }
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

/**
 * A replacement whose tasks keep failing (stopped before they were healthy) fails the deployment with
 * ECS_UPDATE_ERROR at Install. After how many failures, and the message, are *unconfirmed*: CodeDeploy waits
 * for the task set to be stable and reports ECS's trouble; the sandbox gives up after FAILED_TASKS_LIMIT.
 */
function checkReplacementTasks(ctx: Context, replacement: TaskSetRecord): void {
  const failed = tasksOfDeployment(ctx, replacement.id).filter(
    (t) =>
      t.lastStatus === 'STOPPED' &&
      t.healthyAt === undefined &&
      t.desiredStatus === 'STOPPED' &&
      t.stopCode !== 'ServiceSchedulerInitiated',
  );
  if (failed.length < FAILED_TASKS_LIMIT) return;
  const reason = failed.at(-1)?.stoppedReason ?? 'stopped';
  throw new AwsError(
    'ECS_UPDATE_ERROR',
    `The replacement task set ${replacement.id} could not reach a steady state: ${failed.length} of its tasks stopped (${reason}).`,
  );
}

/** The termination wait is over: the original task set is deleted and the deployment Succeeded. */
function finish(ctx: Context, deployment: DeploymentRecord, service: ServiceRecord): void {
  const original = taskSetOf(service, deployment.originalTaskSetId);
  if (original) deleteTaskSet(ctx, service, original);
  end(ctx, deployment, 'Succeeded');
}
