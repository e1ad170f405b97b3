import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { stageReached } from './lifecycle-stages';
import { awaitingPauseHook } from './pause-hook';
import { ROLLING_BACK_STATUSES, STOPPING_STATUSES, UNDER_WAY_STATUSES } from './service-deployment-statuses';
import type { RolloutCause } from './rollout';
import type { WaitUntil } from './watch-loop';

/** What a watch of one service deployment is waiting for. */
export interface ServiceDeploymentGoal {
  /** Where the watch may end early; default `complete`. */
  waitUntil?: WaitUntil;
  /** `rollback`: the deployment is being rolled back on purpose, and ROLLBACK_SUCCESSFUL is the success. Default `release`. */
  expect?: 'release' | 'rollback';
}

export type ServiceDeploymentVerdict =
  | { state: 'in-progress' }
  | { state: 'succeeded' }
  | { state: 'baking' }
  | { state: 'paused'; hookId: string }
  | { state: 'failed' | 'rolled-back'; reason: string; cause: RolloutCause; alarmNames?: string[] };

/**
 * Decides from one DescribeServiceDeployments answer where a service deployment stands. Pure. SUCCESSFUL is the
 * success; ROLLBACK_* and STOPPED end it with the cause ECS gives (the triggered alarm, the circuit breaker's count,
 * the hook that failed or timed out, statusReason). While it is under way: `paused` once a PAUSE hook awaits action
 * (with wait-until paused), `baking` once the stage is BAKE_TIME or later with production traffic wholly on the
 * target (with wait-until bake; for LINEAR and CANARY the step bakes come before BAKE_TIME, so only the final bake
 * counts). Stages are compared by position: a poll that missed BAKE_TIME and sees CLEAN_UP has still reached it.
 */
export function judgeServiceDeployment(sd: ServiceDeployment, goal: ServiceDeploymentGoal = {}): ServiceDeploymentVerdict {
  const status = sd.status ?? '';
  if (goal.expect === 'rollback') return judgeRollback(sd);
  if (status === 'SUCCESSFUL') return { state: 'succeeded' };
  if (status === 'ROLLBACK_FAILED') {
    return { state: 'failed', cause: 'rollback-failed', reason: `ECS's own rollback failed${withReason(sd.statusReason)}` };
  }
  if (ROLLING_BACK_STATUSES.has(status)) return { state: 'rolled-back', ...causeOf(sd) };
  if (STOPPING_STATUSES.has(status)) {
    const cause = causeOf(sd);
    return { state: 'failed', ...cause, reason: `the service deployment was ${status}: ${cause.reason}` };
  }
  if (!UNDER_WAY_STATUSES.has(status)) return { state: 'in-progress' };
  const waitUntil = goal.waitUntil ?? 'complete';
  const awaiting = awaitingPauseHook(sd);
  if (waitUntil === 'paused' && awaiting) return { state: 'paused', hookId: awaiting.hookId };
  if (waitUntil === 'bake' && stageReached(sd.lifecycleStage, 'BAKE_TIME') && productionOnTarget(sd)) return { state: 'baking' };
  return { state: 'in-progress' };
}

/** A rollback asked for on purpose: ROLLBACK_SUCCESSFUL is the success, anything else that ends is a failure. */
function judgeRollback(sd: ServiceDeployment): ServiceDeploymentVerdict {
  const status = sd.status ?? '';
  if (status === 'ROLLBACK_SUCCESSFUL') return { state: 'succeeded' };
  if (status === 'ROLLBACK_FAILED')
    return { state: 'failed', cause: 'rollback-failed', reason: `ECS's rollback failed${withReason(sd.statusReason)}` };
  if (status === 'SUCCESSFUL') return { state: 'failed', cause: 'ecs', reason: 'the service deployment completed instead of rolling back' };
  if (STOPPING_STATUSES.has(status))
    return { state: 'failed', cause: 'ecs', reason: `the service deployment was ${status}${withReason(sd.statusReason)}` };
  return { state: 'in-progress' };
}

/** Percent of production and test traffic ECS has asked for on the target revision, when it says. */
export function trafficWeights(sd: ServiceDeployment): { productionTrafficWeight?: number; testTrafficWeight?: number } {
  const target = sd.targetServiceRevision;
  return {
    ...(target?.requestedProductionTrafficWeight !== undefined ? { productionTrafficWeight: target.requestedProductionTrafficWeight } : {}),
    ...(target?.requestedTestTrafficWeight !== undefined ? { testTrafficWeight: target.requestedTestTrafficWeight } : {}),
  };
}

/** Production wholly on the target; when ECS reports no weight, the stage alone decides. */
function productionOnTarget(sd: ServiceDeployment): boolean {
  const weight = trafficWeights(sd).productionTrafficWeight;
  return weight === undefined || weight >= 100;
}

/** Why ECS rolled back or stopped: the alarm, the circuit breaker, the hook, or what ECS said. */
export function causeOf(sd: ServiceDeployment): { cause: RolloutCause; reason: string; alarmNames?: string[] } {
  // statusReason says why the deployment failed, rollback.reason why it was rolled back: both, once each.
  const said =
    [...new Set([sd.statusReason, sd.rollback?.reason].filter(Boolean).map((text) => stripStop(text as string)))].join('; ') || undefined;
  if (sd.alarms?.status === 'TRIGGERED') {
    const names = sd.alarms.triggeredAlarmNames?.length ? sd.alarms.triggeredAlarmNames : (sd.alarms.alarmNames ?? []);
    const quoted = names.map((name) => `"${name}"`).join(', ');
    const alarm = names.length
      ? `CloudWatch alarm${names.length > 1 ? 's' : ''} ${quoted} went into ALARM`
      : 'a deployment alarm went into ALARM';
    return { cause: 'alarm', reason: alarm, alarmNames: [...names] };
  }
  const breaker = sd.deploymentCircuitBreaker;
  if (breaker?.status === 'TRIGGERED') {
    const count =
      breaker.failureCount !== undefined ? `: ${breaker.failureCount} failed tasks of its threshold ${breaker.threshold ?? '?'}` : '';
    return { cause: 'circuit-breaker', reason: `the deployment circuit breaker tripped${count}${said ? ` (${stripStop(said)})` : ''}` };
  }
  const hook = sd.lifecycleHookDetails?.find((detail) => detail.status === 'FAILED' || detail.status === 'TIMED_OUT');
  if (hook) return { cause: 'lifecycle-hook', reason: `${describeHook(hook)} ${hook.status}${said ? ` (${stripStop(said)})` : ''}` };
  return { cause: 'rollback-requested', reason: said ? stripStop(said) : 'ECS gave no reason' };
}

/** A hook in words: `PAUSE hook ecs-pause-1` or `Lambda hook ecs-hook-1 (arn:...)`. */
export function describeHook(hook: DeploymentLifecycleHookDetail): string {
  const kind = hook.targetType === 'PAUSE' ? 'PAUSE' : 'Lambda';
  return `${kind} hook ${hook.hookId ?? '(no id)'}${hook.targetArn ? ` (${hook.targetArn})` : ''}`;
}

function withReason(reason: string | undefined): string {
  return reason ? ` (${stripStop(reason)})` : '';
}

function stripStop(text: string): string {
  return text.replace(/\.\s*$/, '');
}
