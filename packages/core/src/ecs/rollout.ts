import type { Deployment, Service, Task } from '@aws-sdk/client-ecs';
import { primaryDeployment } from './service';

export interface RolloutTarget {
  /** The deployment UpdateService started (`ecs-svc/...`). */
  deploymentId: string;
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** Without a circuit breaker, this many failed tasks of the new revision fail the deploy. */
  failedTasksThreshold: number;
}

export interface RolloutObservation {
  service: Service;
  /** Stopped tasks started by our deployment that count as failures (see isFailedTask). */
  failedTasks: Task[];
}

export type RolloutVerdict =
  | { state: 'in-progress'; deployment: Deployment }
  | { state: 'succeeded'; deployment: Deployment }
  | { state: 'rolled-back'; reason: string; deployment: Deployment }
  | { state: 'failed'; reason: string; deployment?: Deployment; replacedBy?: Deployment };

/**
 * A stopped task counts as a failure when it crashed, could not start, or failed a health check.
 * Tasks the scheduler stopped to scale in, and tasks a person stopped, do not.
 */
export function isFailedTask(task: Task): boolean {
  if (task.lastStatus !== 'STOPPED' && task.desiredStatus !== 'STOPPED') return false;
  if (task.stopCode === 'EssentialContainerExited' || task.stopCode === 'TaskFailedToStart') return true;
  // ELB health check failures are stopped by the scheduler (ServiceSchedulerInitiated) with this reason.
  return /failed .*health checks?/i.test(task.stoppedReason ?? '');
}

/**
 * Decides from ECS's own signals where a rollout stands. Pure, so that every branch is tested against
 * sequences of DescribeServices answers; the caller owns polling and timing out.
 */
export function judgeRollout(target: RolloutTarget, observation: RolloutObservation): RolloutVerdict {
  const deployments = observation.service.deployments ?? [];
  const ours = deployments.find((d) => d.id === target.deploymentId);
  const primary = primaryDeployment(observation.service);

  if (!ours) return judgeVanished(target, observation.service, primary);
  if (ours.rolloutState === 'FAILED') {
    const reason = ours.rolloutStateReason ?? 'ECS marked the deployment FAILED';
    if (target.circuitBreaker.enable && target.circuitBreaker.rollback) return { state: 'rolled-back', reason, deployment: ours };
    return { state: 'failed', reason, deployment: ours };
  }
  if (ours.status !== 'PRIMARY') {
    return {
      state: 'failed',
      reason: `${describeDeployment(primary)} replaced deployment ${target.deploymentId} before it finished`,
      deployment: ours,
      replacedBy: primary,
    };
  }
  if (!target.circuitBreaker.enable && observation.failedTasks.length >= target.failedTasksThreshold) {
    return {
      state: 'failed',
      reason: `${observation.failedTasks.length} tasks of the new revision stopped (failed-tasks-threshold is ${target.failedTasksThreshold})`,
      deployment: ours,
    };
  }
  if (deployments.length === 1 && isSettled(ours)) return { state: 'succeeded', deployment: ours };
  return { state: 'in-progress', deployment: ours };
}

/**
 * Our deployment is gone from the service. ECS removes a failed deployment once a circuit-breaker rollback
 * has drained it, which a fast rollback can finish between two polls; its service event still tells.
 */
function judgeVanished(target: RolloutTarget, service: Service, primary: Deployment | undefined): RolloutVerdict {
  const failure = (service.events ?? []).find((event) => event.message?.includes(`(deployment ${target.deploymentId}) deployment failed`));
  if (failure) {
    const reason = failure.message?.replace(/^.*deployment failed:\s*/, 'deployment failed: ') ?? 'deployment failed';
    const gone = { id: target.deploymentId, status: 'INACTIVE', rolloutState: 'FAILED' as const, rolloutStateReason: reason };
    if (target.circuitBreaker.enable && target.circuitBreaker.rollback) return { state: 'rolled-back', reason, deployment: gone };
    return { state: 'failed', reason, deployment: gone };
  }
  return {
    state: 'failed',
    reason: `deployment ${target.deploymentId} is no longer on the service${primary ? `; ${describeDeployment(primary)} replaced it` : ''}`,
    replacedBy: primary,
  };
}

function isSettled(deployment: Deployment): boolean {
  if (deployment.rolloutState) return deployment.rolloutState === 'COMPLETED';
  // Services created before rollout states existed report none; fall back to counting tasks.
  return deployment.runningCount === deployment.desiredCount && (deployment.pendingCount ?? 0) === 0;
}

export function describeDeployment(deployment: Deployment | undefined): string {
  if (!deployment) return 'another deployment';
  const revision = deployment.taskDefinition?.split('/').pop() ?? 'an unknown revision';
  return `deployment ${deployment.id} (${revision})`;
}

export function progressLine(deployment: Deployment): string {
  const failed = deployment.failedTasks ? `, ${deployment.failedTasks} failed` : '';
  const state = deployment.rolloutState ? ` [${deployment.rolloutState}]` : '';
  return `${deployment.id}: ${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running, ${deployment.pendingCount ?? 0} pending${failed}${state}`;
}
