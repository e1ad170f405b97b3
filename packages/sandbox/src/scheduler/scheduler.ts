/**
 * The service scheduler: a loop that moves every rolling-update service towards its desired state, and
 * runs at once whenever a task changes so that changes show within one pass.
 */
import { record, type Context } from '../context';
import { completeDeployment, markSteady } from '../ecs/deployments';
import { serviceEvent, taskList } from '../ecs/events';
import { isActive, isLive, primaryOf, tasksOfDeployment, tasksOfService } from '../ecs/queries';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from '../ecs/state';
import { launchTask, stopTask } from '../tasks/lifecycle';
import { noteTaskHealthy } from './accounting';
import { bakeTimeOver, restartBakeTime, watchDeploymentAlarms } from './deployment-alarms';
import { isHealthyForScheduler } from './health';
import { failedToPlace } from './placement';
import { planRollingStep } from './rolling';
import { onTaskEvent } from './task-reports';
import { replaceUnhealthyTasks } from './unhealthy';
import { taskTargetHealth } from '../tasks/load-balancer';

/** Pass interval at timeScale 1; scaled down with the clock, but never below a few milliseconds. */
const PASS_MS = 100;

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  private running = false;

  constructor(private readonly ctx: Context) {
    ctx.taskEvents.subscribe((event) => onTaskEvent(ctx, event));
  }

  start(): void {
    this.running = true;
    const interval = Math.max(5, Math.min(PASS_MS, this.ctx.clock.scaled(PASS_MS)));
    this.timer = setInterval(() => this.pass(), interval);
  }

  /** A pass as soon as the current work is done, coalescing many kicks into one. */
  kick(): void {
    if (!this.running || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.pass();
    });
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  pass(): void {
    if (!this.running) return;
    for (const service of this.ctx.ecs.services) {
      if (service.status === 'INACTIVE' || service.deploymentController.type !== 'ECS') continue;
      try {
        reconcile(this.ctx, service);
      } catch (error) {
        console.error(`sandbox scheduler: service ${service.name}:`, error);
      }
    }
  }
}

function reconcile(ctx: Context, service: ServiceRecord): void {
  const now = ctx.clock.now();
  advanceServiceDeployments(ctx, service);
  noteHealthyTasks(ctx, service, now);
  replaceUnhealthyTasks(ctx, service, tasksOfService(ctx, service));

  let primary = primaryOf(service);
  if (!primary) return finishDraining(ctx, service);
  // The circuit breaker trips where failures are counted (scheduler/circuit-breaker); alarms are polled here.
  if (watchDeploymentAlarms(ctx, service, primary)) primary = primaryOf(service) as DeploymentRecord;

  const desired = service.status === 'DRAINING' ? 0 : service.desiredCount;
  const healthy = (task: TaskRecord) => task.healthyAt !== undefined && task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';
  const primaryTasks = tasksOfDeployment(ctx, primary.id);
  const others = service.deployments.filter((d) => d !== primary);
  const oldTasks = others.flatMap((d) => tasksOfDeployment(ctx, d.id));
  const all = [...primaryTasks, ...oldTasks];
  const failed = primary.rolloutState === 'FAILED';
  const plan = planRollingStep({
    desiredCount: desired,
    minimumHealthyPercent: service.deploymentConfiguration.minimumHealthyPercent,
    maximumPercent: service.deploymentConfiguration.maximumPercent,
    primary: primaryTasks.filter(isActive).map((t) => ({ arn: t.arn, healthy: healthy(t) })),
    old: oldTasks.filter(isActive).map((t) => ({ arn: t.arn, healthy: healthy(t) })),
    stopping: all.filter((t) => isLive(t) && t.desiredStatus === 'STOPPED').length,
    canLaunch: !failed && now >= service.throttle.resumeAt && service.status === 'ACTIVE',
    canReplaceOld: !failed,
  });

  if (plan.stop.length > 0) {
    const stopped = plan.stop.map((arn) => ctx.ecs.tasks.get(arn) as TaskRecord);
    for (const task of stopped) stopTask(ctx, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${primary.id})`);
    serviceEvent(ctx, service, `has stopped ${stopped.length} running tasks: ${taskList(stopped.map((t) => t.id))}.`);
  }
  if (plan.launch > 0) launch(ctx, service, primary, plan.launch);
  if (plan.blocked) {
    const message =
      'was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.';
    if (!service.events[0]?.message.endsWith(message)) serviceEvent(ctx, service, message);
  }

  for (const deployment of service.deployments) {
    const previous = deployment.desiredCount;
    deployment.desiredCount = deployment === primary ? desired : tasksOfDeployment(ctx, deployment.id).filter(isActive).length;
    if (deployment.desiredCount !== previous) deployment.updatedAt = now;
  }

  if (service.status === 'DRAINING') return finishDraining(ctx, service);
  settle(ctx, service, primary, desired);
}

/** Service deployments move out of their requested states on the scheduler's next pass. */
function advanceServiceDeployments(ctx: Context, service: ServiceRecord): void {
  const sd = service.currentServiceDeploymentArn ? ctx.ecs.serviceDeployments.get(service.currentServiceDeploymentArn) : undefined;
  if (!sd) return;
  const now = ctx.clock.now();
  if (sd.status === 'PENDING') {
    sd.status = 'IN_PROGRESS';
    sd.startedAt = now;
    sd.updatedAt = now;
  } else if (sd.status === 'ROLLBACK_REQUESTED') {
    sd.status = 'ROLLBACK_IN_PROGRESS';
    sd.updatedAt = now;
  }
}

/** Tasks the scheduler counts as healthy for the first time (what that means for the breaker: scheduler/accounting). */
function noteHealthyTasks(ctx: Context, service: ServiceRecord, now: number): void {
  for (const deployment of service.deployments) {
    for (const task of tasksOfDeployment(ctx, deployment.id)) {
      if (task.healthyAt !== undefined) continue;
      if (!isHealthyForScheduler(task, now, ctx.clock.scale, taskTargetHealth(ctx, task).map((t) => t.target))) continue;
      task.healthyAt = now;
      record(ctx, { kind: 'task-healthy', cluster: service.cluster, serviceName: service.name, deploymentId: deployment.id, taskArn: task.arn, taskDefinitionArn: task.taskDefinitionArn });
      noteTaskHealthy(ctx, service, deployment, task);
    }
  }
}

function launch(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord, count: number): void {
  const cluster = ctx.ecs.clusters.get(service.cluster);
  const [family, revision] = deployment.taskDefinitionArn.slice(deployment.taskDefinitionArn.lastIndexOf('/') + 1).split(':');
  const taskDefinition = ctx.ecs.taskDefinitions.get(family)?.[Number(revision) - 1];
  if (!cluster || !taskDefinition) return;
  if (failedToPlace(ctx, service, deployment, count)) return;
  const started: TaskRecord[] = [];
  for (let i = 0; i < count; i++) {
    started.push(
      launchTask(ctx, {
        cluster,
        taskDefinition,
        launchType: deployment.launchType,
        platformVersion: deployment.platformVersion,
        networkConfiguration: deployment.networkConfiguration,
        capacityProviderName: (deployment.capacityProviderStrategy?.[0]?.capacityProvider as string | undefined) ?? undefined,
        startedBy: deployment.id,
        group: `service:${service.name}`,
        enableExecuteCommand: service.enableExecuteCommand,
        serviceName: service.name,
        deploymentId: deployment.id,
      }),
    );
  }
  service.steady = false;
  serviceEvent(ctx, service, `has started ${started.length} tasks: ${taskList(started.map((t) => t.id))}.`);
}

/** COMPLETED once the primary runs the desired count of healthy tasks and nothing else is left. */
function settle(ctx: Context, service: ServiceRecord, primary: DeploymentRecord, desired: number): void {
  if (primary.rolloutState === 'FAILED') return;
  const live = tasksOfService(ctx, service).filter(isLive);
  const settled =
    live.length === desired &&
    live.every((t) => t.deploymentId === primary.id && t.healthyAt !== undefined && t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING');
  if (!settled) return restartBakeTime(ctx, primary);
  if (primary.rolloutState === 'IN_PROGRESS') {
    if (bakeTimeOver(ctx, primary)) completeDeployment(ctx, service, primary);
  }
  else if (!service.steady && service.deployments.length === 1) markSteady(ctx, service, primary);
}

/** A deleted service becomes INACTIVE once its last task has stopped. */
function finishDraining(ctx: Context, service: ServiceRecord): void {
  if (service.status !== 'DRAINING') return;
  if (tasksOfService(ctx, service).some(isLive)) return;
  service.status = 'INACTIVE';
}
