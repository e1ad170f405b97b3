/**
 * GetDeploymentTarget and ListDeploymentTargets: an ECS deployment has one target, `<cluster>:<service>`
 * (ECSTarget, API reference), with its lifecycle events and its task sets (ECSTaskSet: `identifer` is the model's
 * spelling, trafficWeight the share of production traffic, taskSetLabel Blue for the original, Green for the
 * replacement).
 */
import type { Context } from '../context';
import { counts, tasksOfDeployment } from '../ecs/queries';
import type { Json, TaskSetRecord } from '../ecs/state';
import { requireDeployment } from './deployments';
import { deploymentTargetDoesNotExist, deploymentTargetIdRequired, targetListSizeExceeded } from './errors';
import { serviceOf, taskSetOf } from './resolve';
import type { DeploymentRecord } from './state';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
export const targetIdOf = (deployment: DeploymentRecord) => `${deployment.target.cluster}:${deployment.target.service}`;

function taskSetInfo(ctx: Context, taskSet: TaskSetRecord, label: 'Blue' | 'Green', trafficWeight: number): Json {
  const { running, pending } = counts(tasksOfDeployment(ctx, taskSet.id));
  const groupArn = String(taskSet.loadBalancers[0]?.targetGroupArn ?? '');
  return {
    identifer: taskSet.id,
    desiredCount: taskSet.computedDesiredCount,
    pendingCount: pending,
    runningCount: running,
    status: taskSet.status,
    trafficWeight,
    targetGroup: { name: ctx.elb.groups.get(groupArn)?.name ?? groupArn },
    taskSetLabel: label,
  };
}

function renderTarget(ctx: Context, deployment: DeploymentRecord): Json {
  const service = serviceOf(ctx, deployment);
  const original = taskSetOf(service, deployment.originalTaskSetId);
  const replacement = taskSetOf(service, deployment.replacementTaskSetId);
  const taskSetsInfo: Json[] = [];
  if (original) taskSetsInfo.push(taskSetInfo(ctx, original, 'Blue', 100 - deployment.productionWeight));
  if (replacement) taskSetsInfo.push(taskSetInfo(ctx, replacement, 'Green', deployment.productionWeight));
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: deployment.deploymentId,
      targetId: targetIdOf(deployment),
      targetArn: ctx.arns.service(deployment.target.cluster, deployment.target.service),
      lastUpdatedAt: seconds(deployment.target.lastUpdatedAt),
      lifecycleEvents: deployment.target.lifecycleEvents.map((event) => {
        const out: Json = { lifecycleEventName: event.lifecycleEventName, status: event.status };
        if (event.startTime !== undefined) out.startTime = seconds(event.startTime);
        if (event.endTime !== undefined) out.endTime = seconds(event.endTime);
        if (event.diagnostics) out.diagnostics = event.diagnostics;
        return out;
      }),
      status: deployment.target.status,
      taskSetsInfo,
    },
  };
}

export const targetOperations = {
  GetDeploymentTarget(ctx: Context, input: Json) {
    const deployment = requireDeployment(ctx, input.deploymentId);
    if (input.targetId === undefined || input.targetId === '') throw deploymentTargetIdRequired();
    if (input.targetId !== targetIdOf(deployment)) throw deploymentTargetDoesNotExist(String(input.targetId));
    return { deploymentTarget: renderTarget(ctx, deployment) };
  },

  /**
   * An ECS deployment's target list "must have exactly one item" (DeploymentTargetListSizeExceededException, API
   * reference): more ids are refused with it, an id not the deployment's with DeploymentTargetDoesNotExistException.
   */
  BatchGetDeploymentTargets(ctx: Context, input: Json) {
    const deployment = requireDeployment(ctx, input.deploymentId);
    const ids = Array.isArray(input.targetIds) ? (input.targetIds as unknown[]) : [];
    if (ids.length === 0) throw deploymentTargetIdRequired();
    if (ids.length > 1) throw targetListSizeExceeded();
    if (ids[0] !== targetIdOf(deployment)) throw deploymentTargetDoesNotExist(String(ids[0]));
    return { deploymentTargets: [renderTarget(ctx, deployment)] };
  },

  ListDeploymentTargets(ctx: Context, input: Json) {
    const deployment = requireDeployment(ctx, input.deploymentId);
    return { targetIds: [targetIdOf(deployment)] };
  },
};
