/**
 * The ROLLING strategy (developer guide, "Rolling update"): each pass replaces old tasks with new ones within
 * minimumHealthyPercent and maximumPercent (scheduler/rolling), and the deployment is COMPLETED once the
 * primary runs the desired count of healthy tasks and nothing else is left (after the alarms' bake time).
 */
import type { Context } from '../context';
import { completeDeployment, markSteady } from '../ecs/deployments';
import { serviceEvent } from '../ecs/events';
import { isActive, isLive, tasksOfDeployment, tasksOfService } from '../ecs/queries';
import type { TaskRecord } from '../ecs/state';
import { bakeTimeOver, restartBakeTime } from './deployment-alarms';
import { planRollingStep } from './rolling';
import type { DeploymentStrategy, StrategyPass } from './strategy';
import { launchTasks, stopTasks } from './task-moves';

const BLOCKED =
  'was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.';

const healthy = (task: TaskRecord) => task.healthyAt !== undefined && task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';

function step(ctx: Context, { service, primary, desired, now }: StrategyPass): void {
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

  stopTasks(
    ctx,
    service,
    primary,
    plan.stop.map((arn) => ctx.ecs.tasks.get(arn) as TaskRecord),
  );
  if (plan.launch > 0) launchTasks(ctx, service, primary, plan.launch);
  if (plan.blocked && !service.events[0]?.message.endsWith(BLOCKED)) serviceEvent(ctx, service, BLOCKED);

  for (const deployment of service.deployments) {
    const previous = deployment.desiredCount;
    deployment.desiredCount = deployment === primary ? desired : tasksOfDeployment(ctx, deployment.id).filter(isActive).length;
    if (deployment.desiredCount !== previous) deployment.updatedAt = now;
  }
}

/** COMPLETED once the primary runs the desired count of healthy tasks and nothing else is left. */
function settle(ctx: Context, { service, primary, desired }: StrategyPass): void {
  if (primary.rolloutState === 'FAILED') return;
  const live = tasksOfService(ctx, service).filter(isLive);
  const settled = live.length === desired && live.every((t) => t.deploymentId === primary.id && healthy(t));
  if (!settled) return restartBakeTime(ctx, primary);
  if (primary.rolloutState === 'IN_PROGRESS') {
    if (bakeTimeOver(ctx, primary)) completeDeployment(ctx, service, primary);
  } else if (!service.steady && service.deployments.length === 1) markSteady(ctx, service, primary);
}

export const rollingStrategy: DeploymentStrategy = { name: 'ROLLING', step, settle };
