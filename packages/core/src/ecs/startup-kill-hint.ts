import type { Service, Task } from '@aws-sdk/client-ecs';
import { epochMs } from './times';

/**
 * How ECS words the stop of a task its service scheduler replaced for failing a health check: "Task failed ELB
 * health checks in (target-group ...)" and "Task failed container health checks" (developer guide, "Amazon ECS
 * stopped task error messages"; knowledge center, "Why is my Amazon ECS task stopped?"). VPC Lattice's wording is
 * unconfirmed; any "Task failed ... health checks" is taken as one.
 */
const HEALTH_CHECK_STOP = /^Task failed .*health checks/i;

/** Whether ECS's scheduler stopped the task for failing a health check. */
export function stoppedByHealthCheck(task: { stoppedReason?: string }): boolean {
  return HEALTH_CHECK_STOP.test(task.stoppedReason ?? '');
}

/** What a watch saw of the new revision's running tasks: how long after its start each was first seen HEALTHY. */
export interface StartupHealth {
  /** By task ARN: milliseconds from the task's startedAt to the first poll that saw it HEALTHY. */
  healthyAfterMs: Record<string, number>;
}

/** A task of the new revision stopped by a health check before it was ever seen healthy, and when, after its start. */
export interface StartupKill {
  task: Task;
  killedAfterMs: number;
}

/**
 * The failed tasks ECS stopped for failed health checks while they were starting: never seen healthy by the watch
 * (a task that was healthy and later failed its checks did not fail for want of a grace period), with a start time
 * and a kill time (stoppingAt, else stoppedAt). Oldest first, as given.
 */
export function startupKills(failedTasks: Task[], health?: StartupHealth): StartupKill[] {
  const kills: StartupKill[] = [];
  for (const task of failedTasks) {
    if (!stoppedByHealthCheck(task)) continue;
    if (task.taskArn && health?.healthyAfterMs[task.taskArn] !== undefined) continue;
    const started = epochMs(task.startedAt);
    const killed = epochMs(task.stoppingAt) || epochMs(task.stoppedAt);
    if (!started || !killed || killed < started) continue;
    kills.push({ task, killedAfterMs: killed - started });
  }
  return kills;
}

/** The grace period to suggest, in whole seconds: at least every kill time seen, and the slowest healthy start seen. */
export function suggestedGraceSeconds(kills: StartupKill[], health?: StartupHealth): number {
  const longestKill = Math.max(0, ...kills.map((kill) => kill.killedAfterMs));
  const slowestHealthy = Math.max(0, ...Object.values(health?.healthyAfterMs ?? {}));
  return Math.max(1, Math.ceil(Math.max(longestKill, slowestHealthy) / 1000));
}

/**
 * The sentence that points at the health check grace period when tasks of the new revision were stopped by health
 * checks while they started; undefined otherwise. With a task of the revision seen healthy, the time it took is the
 * figure; when none was, the tasks needed longer than they were given, so the suggestion is "at least" the time
 * from their start to their kill. Every mechanism's failure message (rolling, blue/green, CodeDeploy's replacement
 * tasks) and auto-rollback's quote it through explainRollout.
 */
export function startupKillHint(failedTasks: Task[], health?: StartupHealth, service?: Service): string | undefined {
  const kills = startupKills(failedTasks, health);
  if (kills.length === 0) return undefined;
  const suggested = suggestedGraceSeconds(kills, health);
  const longestKill = Math.max(...kills.map((kill) => kill.killedAfterMs));
  const healthy = Object.values(health?.healthyAfterMs ?? {});
  const grace = service?.healthCheckGracePeriodSeconds ?? 0;
  const stopped =
    kills.length === 1
      ? `ECS stopped a task for failed health checks ${seconds(longestKill)} after it started, before it was seen healthy`
      : `ECS stopped ${kills.length} tasks for failed health checks up to ${seconds(longestKill)} after they started, before any of them was seen healthy`;
  const observed = healthy.length ? `; a task of this revision was seen healthy ${seconds(Math.max(...healthy))} after it started` : '';
  const advice = healthy.length
    ? `If the app was still starting, give the service a health check grace period (now ${grace} s) of at least ${suggested} s`
    : `If the app was still starting, it needs longer than that: give the service a health check grace period (now ${grace} s) of at least ${suggested} s, more if it starts slower`;
  return `${stopped}${observed}. ${advice}${setCommand(service, suggested)}.`;
}

function setCommand(service: Service | undefined, graceSeconds: number): string {
  const cluster = service?.clusterArn?.split('/').pop();
  if (!cluster || !service?.serviceName) return '';
  return ` (aws ecs update-service --cluster ${cluster} --service ${service.serviceName} --health-check-grace-period-seconds ${graceSeconds}; it starts no deployment)`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
