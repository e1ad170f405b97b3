/** What the backstop weighs: this step's count of failed tasks of the new revision, and ECS's breaker when it is on. */
export interface BackstopCount {
  /** Failed tasks of the new revision this step counted (settled ones, where ECS must have had time to count them). */
  counted: number;
  failedTasksThreshold: number;
  /** ECS's circuit breaker, when it is on: its threshold, its own count, and whether it tripped. */
  breaker?: { threshold: number; ecsCount: number; triggered: boolean };
}

/** With a breaker, the larger of ECS's threshold and failed-tasks-threshold; without one, failed-tasks-threshold. */
export function backstopLimit(count: BackstopCount): number {
  return count.breaker ? Math.max(count.breaker.threshold, count.failedTasksThreshold) : count.failedTasksThreshold;
}

/**
 * Whether this step fails the rollout on its own count: past the backstop while ECS's breaker (if on) has neither
 * tripped nor counted up to its threshold, since then ECS itself is about to decide.
 */
export function backstopReached(count: BackstopCount): boolean {
  if (count.counted < backstopLimit(count)) return false;
  return !count.breaker || (!count.breaker.triggered && count.breaker.ecsCount < count.breaker.threshold);
}

/**
 * The reason a reached backstop fails the step with. `where` says where the deployment was stuck (a blue/green
 * stage); `blindSpot` why ECS's breaker does not count these tasks (see explainBreakerBlindSpot), with a breaker.
 */
export function backstopReason(count: BackstopCount, blindSpot?: string, where = ''): string {
  const stopped = `${count.counted} tasks of the new revision stopped${where}`;
  if (!count.breaker) return `${stopped} (failed-tasks-threshold is ${count.failedTasksThreshold})`;
  const { threshold, ecsCount } = count.breaker;
  return (
    `${stopped}, but ECS's circuit breaker did not trip (it counts ${ecsCount} of its threshold ${threshold}): ` +
    `${blindSpot}. This step's backstop, the larger of ECS's threshold and failed-tasks-threshold (${count.failedTasksThreshold}), is ${backstopLimit(count)}`
  );
}
