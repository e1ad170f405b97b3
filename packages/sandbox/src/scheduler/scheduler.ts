/**
 * The service scheduler: a loop that moves every service of the ECS deployment controller towards its
 * desired state, through the strategy of its deployment (scheduler/strategies), keeps the task sets of
 * CODE_DEPLOY services at their counts (scheduler/task-set-scheduler) and moves CodeDeploy's deployments on
 * (codedeploy/lifecycle), and runs at once whenever a task changes so that changes show within one pass.
 */
import type { Context } from '../context';
import { isLive, primaryOf, tasksOfService } from '../ecs/queries';
import { setServiceDeploymentStatus } from '../ecs/service-deployment-progress';
import type { DeploymentRecord, ServiceRecord } from '../ecs/state';
import { advanceCodeDeployDeployments } from '../codedeploy/lifecycle';
import { noteHealthyTasks } from './healthy-tasks';
import { reconcileTaskSets } from './task-set-scheduler';
import { watchDeploymentAlarms } from './deployment-alarms';
import { strategyFor } from './strategies';
import type { StrategyPass } from './strategy';
import { onTaskEvent } from './task-reports';
import { replaceUnhealthyTasks } from './unhealthy';

/** Pass interval at timeScale 1; scaled with the clock (Clock.every: never below a few real milliseconds). */
const PASS_MS = 100;

export class Scheduler {
  private cancelPasses?: () => void;
  private cancelKick?: () => void;
  private running = false;

  constructor(private readonly ctx: Context) {
    ctx.taskEvents.subscribe((event) => onTaskEvent(ctx, event));
  }

  start(): void {
    this.running = true;
    this.cancelPasses = this.ctx.clock.every(PASS_MS, () => this.pass());
  }

  /** A pass as soon as the current work is done, coalescing many kicks into one. */
  kick(): void {
    if (!this.running || this.cancelKick) return;
    this.cancelKick = this.ctx.clock.soon(() => {
      this.cancelKick = undefined;
      this.pass();
    });
  }

  stop(): void {
    this.running = false;
    this.cancelPasses?.();
    this.cancelKick?.();
    this.cancelPasses = undefined;
    this.cancelKick = undefined;
  }

  pass(): void {
    if (!this.running) return;
    for (const service of this.ctx.ecs.services) {
      if (service.status === 'INACTIVE' || service.deploymentController.type === 'EXTERNAL') continue;
      try {
        if (service.deploymentController.type === 'CODE_DEPLOY') reconcileTaskSets(this.ctx, service);
        else reconcile(this.ctx, service);
      } catch (error) {
        console.error(`sandbox scheduler: service ${service.name}:`, error);
      }
    }
    try {
      advanceCodeDeployDeployments(this.ctx);
    } catch (error) {
      console.error('sandbox scheduler: CodeDeploy:', error);
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

  const pass: StrategyPass = { service, primary, desired: service.status === 'DRAINING' ? 0 : service.desiredCount, now };
  const strategy = strategyFor(ctx, service, primary);
  strategy.step(ctx, pass);
  if (service.status === 'DRAINING') return finishDraining(ctx, service);
  strategy.settle(ctx, pass);
}

/** Service deployments move out of their requested states on the scheduler's next pass. */
function advanceServiceDeployments(ctx: Context, service: ServiceRecord): void {
  const sd = service.currentServiceDeploymentArn ? ctx.ecs.serviceDeployments.get(service.currentServiceDeploymentArn) : undefined;
  if (!sd) return;
  const now = ctx.clock.now();
  if (sd.status === 'PENDING') {
    setServiceDeploymentStatus(ctx, sd, 'IN_PROGRESS');
    sd.startedAt = now;
    sd.updatedAt = now;
  } else if (sd.status === 'ROLLBACK_REQUESTED') {
    setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_IN_PROGRESS');
    sd.updatedAt = now;
  }
}

/** A deleted service becomes INACTIVE once its last task has stopped. */
function finishDraining(ctx: Context, service: ServiceRecord): void {
  if (service.status !== 'DRAINING') return;
  if (tasksOfService(ctx, service).some(isLive)) return;
  service.status = 'INACTIVE';
}
