import type { Deployment, Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { backstopReached, backstopReason, type BackstopCount } from './backstop-rule';
import { breakerThreshold } from './breaker-threshold';
import { primaryDeployment } from './service';
import type { ServiceDeploymentRead } from './service-deployment-reader';
import { ENDED_STATUSES, ROLLING_BACK_STATUSES } from './service-deployment-statuses';
import { epochMs } from './times';

export interface RolloutTarget {
  /** The deployment UpdateService started (`ecs-svc/...`). */
  deploymentId: string;
  circuitBreaker: { enable: boolean; rollback: boolean };
  /**
   * Without a circuit breaker, this many failed tasks of the new revision fail the deploy. With one, the backstop
   * for crashes the breaker does not count is the larger of this and ECS's own threshold.
   */
  failedTasksThreshold: number;
}

export interface RolloutObservation {
  service: Service;
  /** Stopped tasks started by our deployment that count as failures (see isFailedTask). */
  failedTasks: Task[];
  /**
   * Our service deployment as DescribeServiceDeployments answered it during this poll, "unavailable" when ECS will
   * not say, undefined when not read (the verdict then asks for it where it matters: see `wants`).
   */
  serviceDeployment?: ServiceDeploymentRead;
  /** Task definitions the service ran before our deployment: a newer PRIMARY deployment of one of them is a rollback. */
  earlierTaskDefinitions?: string[];
  /** Our deployment as last seen, for when it has gone from the service. */
  lastSeen?: Deployment;
  /** How long ECS has had to start a rollback it is configured to start (see ROLLBACK_GRACE_MS). */
  awaitingRollbackMs?: number;
  /**
   * Of failedTasks, those first counted at least BACKSTOP_SETTLE_MS before this DescribeServices answer. The backstop
   * compares them with ECS's failedTasks, which must have had the time to count the same tasks; default: all.
   */
  settledFailures?: number;
  /** Why ECS's circuit breaker does not count these failures (see explainBreakerBlindSpot), once asked for. */
  blindSpot?: string;
}

/** Who or what ended the rollout, so that the report says the right thing. */
export type RolloutCause =
  | 'circuit-breaker'
  | 'alarm'
  | 'rollback-requested'
  | 'rollback-failed'
  | 'failed-tasks-threshold'
  | 'breaker-did-not-trip'
  | 'replaced'
  /** A lifecycle hook of a blue/green, linear or canary deployment failed or timed out. */
  | 'lifecycle-hook'
  | 'ecs';

/** What the judge needs read before it can decide. */
export type RolloutWant = 'service-deployment' | 'blind-spot';

export type RolloutVerdict =
  | { state: 'in-progress'; deployment?: Deployment; wants?: RolloutWant[]; awaiting?: 'rollback' }
  | { state: 'succeeded'; deployment: Deployment }
  | { state: 'rolled-back'; reason: string; cause: RolloutCause; alarmNames?: string[]; deployment: Deployment }
  | {
      state: 'failed';
      reason: string;
      cause: RolloutCause;
      alarmNames?: string[];
      /** ECS was configured to roll back and did not. */
      noRollback?: boolean;
      deployment?: Deployment;
      replacedBy?: Deployment;
    };

/**
 * How long ECS gets, after our deployment failed, to show the rollback it is configured to start before the
 * watcher says it did not. Only needed when the service deployment cannot be read or has not ended: a service
 * deployment that ended without a rollback says so at once.
 */
export const ROLLBACK_GRACE_MS = 15_000;

/**
 * A failure this step counted weighs in the backstop only after this long: ECS's failedTasks (and its breaker's
 * trip) follow a task's stop after a moment, and a stopped-task list can see the stop first. Without the wait, a
 * crash loop ECS counts could be called "the breaker did not trip" a second before it trips.
 */
export const BACKSTOP_SETTLE_MS = 3000;

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
 * sequences of DescribeServices and DescribeServiceDeployments answers; the caller owns polling, reading what a
 * verdict `wants`, and timing out.
 *
 * `rolled-back` is said only once a rollback is seen: the service deployment in ROLLBACK_REQUESTED,
 * ROLLBACK_IN_PROGRESS or ROLLBACK_SUCCESSFUL, or (when it cannot be read) a newer PRIMARY deployment back on an
 * earlier revision. A FAILED deployment alone is not one: with no COMPLETED deployment to return to, ECS does not
 * roll back ("The rollback method requires a previous deployment in COMPLETED state", developer guide, deployment
 * failure detection).
 */
export function judgeRollout(target: RolloutTarget, observation: RolloutObservation): RolloutVerdict {
  const ours = observation.service.deployments?.find((d) => d.id === target.deploymentId);
  if (!ours) return judgeGone(target, observation);
  const sd = readOf(observation);
  const rollbackDeployment = isRollbackDeployment(ours, sd);
  const alarmNames = rollbackDeployment ? undefined : triggeredAlarms(sd);
  if (ours.rolloutState === 'FAILED' || ours.status !== 'PRIMARY' || alarmNames) {
    return judgeEnded(target, observation, ours, { sd, alarmNames, rollbackDeployment });
  }
  if (target.circuitBreaker.enable) {
    const backstop = judgeBackstop(target, observation, ours, sd);
    if (backstop) return backstop;
  } else {
    const count: BackstopCount = { counted: observation.failedTasks.length, failedTasksThreshold: target.failedTasksThreshold };
    if (backstopReached(count))
      return { state: 'failed', cause: 'failed-tasks-threshold', reason: backstopReason(count), deployment: ours };
  }
  const deployments = observation.service.deployments ?? [];
  if (deployments.length === 1 && isSettled(ours)) return { state: 'succeeded', deployment: ours };
  return { state: 'in-progress', deployment: ours };
}

interface ServiceDeploymentFacts {
  sd: ServiceDeployment | undefined;
  alarmNames: string[] | undefined;
  rollbackDeployment: boolean;
}

/** Our deployment FAILED, an alarm failed it, or it is no longer PRIMARY. */
function judgeEnded(
  target: RolloutTarget,
  observation: RolloutObservation,
  ours: Deployment,
  facts: ServiceDeploymentFacts,
): RolloutVerdict {
  if (observation.serviceDeployment === undefined) return { state: 'in-progress', deployment: ours, wants: ['service-deployment'] };
  const { sd, alarmNames, rollbackDeployment } = facts;
  const primary = primaryDeployment(observation.service);
  if (sd?.status === 'ROLLBACK_FAILED') return rollbackFailed(sd, ours);
  const rolledBack = !rollbackDeployment && rollbackSeen(observation, ours, sd, primary);

  if (ours.rolloutState !== 'FAILED' && !alarmNames) {
    // No longer PRIMARY without having failed: a rollback someone asked for (StopServiceDeployment), or a newer deploy.
    if (rolledBack && sd) {
      return {
        state: 'rolled-back',
        cause: 'rollback-requested',
        reason: sd.rollback?.reason ?? sd.statusReason ?? 'a rollback was requested',
        deployment: ours,
      };
    }
    return {
      state: 'failed',
      cause: 'replaced',
      reason: `${describeDeployment(primary)} replaced deployment ${target.deploymentId} before it finished`,
      deployment: ours,
      replacedBy: primary,
    };
  }

  const cause = failureCause(target, sd, alarmNames);
  const reason = alarmNames ? alarmReason(alarmNames) : (ours.rolloutStateReason ?? sd?.statusReason ?? 'ECS marked the deployment FAILED');
  if (rolledBack) return { state: 'rolled-back', cause, alarmNames, reason, deployment: ours };
  if (rollbackDeployment || !rollbackConfigured(target, observation.service, sd, cause)) {
    return { state: 'failed', cause, alarmNames, reason, deployment: ours };
  }
  // ECS is configured to roll back. A service deployment that ended without a rollback had nothing to return to;
  // one that has not ended yet (or cannot be read) gets a few seconds to show the rollback.
  const ended = sd !== undefined && ENDED_STATUSES.has(sd.status ?? '');
  if (!ended && (observation.awaitingRollbackMs ?? 0) < ROLLBACK_GRACE_MS)
    return { state: 'in-progress', deployment: ours, awaiting: 'rollback' };
  const why = ended
    ? 'ECS did not roll back: it found no completed deployment to roll back to'
    : `no rollback started within ${ROLLBACK_GRACE_MS / 1000}s, although rollback is on (ECS rolls back only to a deployment that completed)`;
  return { state: 'failed', cause, alarmNames, noRollback: true, reason: `${stripStop(reason)}; ${why}`, deployment: ours };
}

/**
 * Our deployment is gone from the service. ECS removes a failed deployment once a rollback has drained it, which a
 * fast rollback can finish between two polls; the service deployment tells what happened.
 */
function judgeGone(target: RolloutTarget, observation: RolloutObservation): RolloutVerdict {
  if (observation.serviceDeployment === undefined) return { state: 'in-progress', wants: ['service-deployment'] };
  const sd = readOf(observation);
  const primary = primaryDeployment(observation.service);
  const gone = (reason: string): Deployment => ({
    ...observation.lastSeen,
    id: target.deploymentId,
    status: 'INACTIVE',
    rolloutState: 'FAILED',
    rolloutStateReason: reason,
  });
  if (sd) {
    if (sd.status === 'ROLLBACK_FAILED') return rollbackFailed(sd, gone(sd.statusReason ?? 'ECS rolled the deployment back'));
    if (ROLLING_BACK_STATUSES.has(sd.status ?? '') || (sd.rollback && !ENDED_STATUSES.has(sd.status ?? ''))) {
      const alarmNames = triggeredAlarms(sd);
      const cause = alarmNames ? 'alarm' : sd.deploymentCircuitBreaker?.status === 'TRIGGERED' ? 'circuit-breaker' : 'rollback-requested';
      const reason = alarmNames ? alarmReason(alarmNames) : (sd.rollback?.reason ?? sd.statusReason ?? 'ECS rolled the deployment back');
      return { state: 'rolled-back', cause, alarmNames, reason, deployment: gone(reason) };
    }
  } else {
    // Without the service deployment, DescribeServices is all there is: a newer PRIMARY back on an earlier revision
    // is the rollback, and the deployment's failure event is the only place the reason is still written.
    const failure = (observation.service.events ?? []).find((event) =>
      event.message?.includes(`(deployment ${target.deploymentId}) deployment failed`),
    );
    const reason = failure?.message?.replace(/^.*deployment failed:\s*/, 'deployment failed: ');
    const cause = target.circuitBreaker.enable ? 'circuit-breaker' : 'ecs';
    if (observation.lastSeen && rollbackDeploymentSeen(observation, observation.lastSeen, primary)) {
      const said = reason ?? `ECS returned the service to ${describeDeployment(primary)}`;
      return { state: 'rolled-back', cause: reason ? cause : 'rollback-requested', reason: said, deployment: gone(said) };
    }
    if (reason) return { state: 'failed', cause, reason, deployment: gone(reason) };
  }
  return {
    state: 'failed',
    cause: 'replaced',
    reason: `deployment ${target.deploymentId} is no longer on the service${primary ? `; ${describeDeployment(primary)} replaced it` : ''}`,
    replacedBy: primary,
  };
}

/**
 * ECS counts a task as failed only if it never reached RUNNING or failed a health check the service defines
 * (Deployment.failedTasks, API reference; developer guide, "How the Amazon ECS deployment circuit breaker detects
 * failures", stages 1 and 2): a service without health checks whose tasks crash after starting may never trip the
 * breaker, and the deployment would run until the timeout. Past max(ECS's threshold, failed-tasks-threshold) of our
 * own counted failures while ECS's count stays below its threshold, the rollout fails here.
 */
function judgeBackstop(
  target: RolloutTarget,
  observation: RolloutObservation,
  ours: Deployment,
  sd: ServiceDeployment | undefined,
): RolloutVerdict | undefined {
  const { service } = observation;
  const threshold = breakerThreshold(
    service.deploymentConfiguration?.deploymentCircuitBreaker,
    service.desiredCount ?? ours.desiredCount ?? 0,
    sd,
  );
  const count: BackstopCount = {
    counted: Math.min(observation.settledFailures ?? observation.failedTasks.length, observation.failedTasks.length),
    failedTasksThreshold: target.failedTasksThreshold,
    breaker: {
      threshold,
      ecsCount: Math.max(ours.failedTasks ?? 0, sd?.deploymentCircuitBreaker?.failureCount ?? 0),
      triggered: sd?.deploymentCircuitBreaker?.status === 'TRIGGERED',
    },
  };
  if (!backstopReached(count)) return undefined;
  // Read ECS's own threshold and why it does not count these before saying so.
  const wants: RolloutWant[] = [];
  if (observation.serviceDeployment === undefined) wants.push('service-deployment');
  if (observation.blindSpot === undefined) wants.push('blind-spot');
  if (wants.length) return { state: 'in-progress', deployment: ours, wants };
  return { state: 'failed', cause: 'breaker-did-not-trip', reason: backstopReason(count, observation.blindSpot), deployment: ours };
}

function rollbackFailed(sd: ServiceDeployment, deployment: Deployment): RolloutVerdict {
  return {
    state: 'failed',
    cause: 'rollback-failed',
    reason: `ECS's own rollback failed${sd.statusReason ? ` (${stripStop(sd.statusReason)})` : ''}`,
    deployment,
  };
}

/** Whether ECS has started rolling back: its service deployment says so, or, without it, the deployments do. */
function rollbackSeen(
  observation: RolloutObservation,
  ours: Deployment,
  sd: ServiceDeployment | undefined,
  primary: Deployment | undefined,
): boolean {
  if (sd) {
    if (ROLLING_BACK_STATUSES.has(sd.status ?? '')) return true;
    // The service deployment ended another way: no rollback is coming, whatever the deployments look like.
    if (ENDED_STATUSES.has(sd.status ?? '')) return false;
    if (sd.rollback) return true;
  }
  return rollbackDeploymentSeen(observation, ours, primary);
}

/** A newer PRIMARY deployment that returns to a revision the service ran before ours. */
function rollbackDeploymentSeen(observation: RolloutObservation, ours: Deployment, primary: Deployment | undefined): boolean {
  if (!primary || primary.id === ours.id || !primary.taskDefinition || primary.taskDefinition === ours.taskDefinition) return false;
  const earlier = new Set(observation.earlierTaskDefinitions ?? []);
  for (const deployment of observation.service.deployments ?? []) {
    if (deployment.id === ours.id || deployment.id === primary.id || !deployment.taskDefinition) continue;
    if (epochMs(deployment.createdAt) <= epochMs(ours.createdAt)) earlier.add(deployment.taskDefinition);
  }
  return earlier.has(primary.taskDefinition);
}

/**
 * Our deployment is the one a rollback started (auto-rollback watching ECS's rollback), not the one rolled back:
 * the service deployment's alarms and rollback then describe the deployment before ours.
 */
function isRollbackDeployment(ours: Deployment, sd: ServiceDeployment | undefined): boolean {
  if (!sd?.rollback || ours.status !== 'PRIMARY' || ours.rolloutState === 'FAILED') return false;
  const started = epochMs(sd.rollback.startedAt);
  const created = epochMs(ours.createdAt);
  // Both on ECS's clock; ECS creates the rollback's deployment as it starts the rollback.
  return !started || !created || created >= started - 500;
}

function failureCause(target: RolloutTarget, sd: ServiceDeployment | undefined, alarmNames: string[] | undefined): RolloutCause {
  if (alarmNames) return 'alarm';
  if (sd) {
    if (sd.deploymentCircuitBreaker?.status === 'TRIGGERED') return 'circuit-breaker';
    if (sd.rollback || ROLLING_BACK_STATUSES.has(sd.status ?? '')) return 'rollback-requested';
  }
  return target.circuitBreaker.enable ? 'circuit-breaker' : 'ecs';
}

function rollbackConfigured(target: RolloutTarget, service: Service, sd: ServiceDeployment | undefined, cause: RolloutCause): boolean {
  const config = sd?.deploymentConfiguration ?? service.deploymentConfiguration;
  if (cause === 'alarm') return config?.alarms?.rollback === true;
  if (cause === 'circuit-breaker') return config?.deploymentCircuitBreaker?.rollback ?? target.circuitBreaker.rollback;
  return false;
}

/** The alarms that failed the deployment, when the service deployment says an alarm did (alarms.status TRIGGERED). */
export function triggeredAlarms(sd: ServiceDeployment | undefined): string[] | undefined {
  if (sd?.alarms?.status !== 'TRIGGERED') return undefined;
  const names = sd.alarms.triggeredAlarmNames?.length ? sd.alarms.triggeredAlarmNames : (sd.alarms.alarmNames ?? []);
  return [...names];
}

function alarmReason(names: string[]): string {
  const quoted = names.map((name) => `"${name}"`).join(', ');
  if (names.length === 0) return 'a CloudWatch alarm of the deployment went into ALARM';
  return `CloudWatch alarm${names.length > 1 ? 's' : ''} ${quoted} went into ALARM`;
}

function readOf(observation: RolloutObservation): ServiceDeployment | undefined {
  return typeof observation.serviceDeployment === 'object' ? observation.serviceDeployment : undefined;
}

/**
 * COMPLETED and running its desired count: a task that stopped after ECS completed the deployment (a crash a minute
 * after start) leaves it COMPLETED but short, and that is not a success until the replacement runs.
 */
function isSettled(deployment: Deployment): boolean {
  const full = deployment.runningCount === deployment.desiredCount;
  if (deployment.rolloutState) return deployment.rolloutState === 'COMPLETED' && full;
  // Services created before rollout states existed report none; fall back to counting tasks.
  return full && (deployment.pendingCount ?? 0) === 0;
}

function stripStop(text: string): string {
  return text.replace(/\.\s*$/, '');
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
