/**
 * One step of a rolling update (developer guide, "Rolling update" and the service definition parameters):
 * - at least ceil(desired × minimumHealthyPercent / 100) healthy tasks stay RUNNING;
 * - at most floor(desired × maximumPercent / 100) tasks are PENDING, RUNNING or STOPPING.
 * Pure, so the arithmetic is tested on its own.
 */

export interface PlanTask {
  arn: string;
  healthy: boolean;
}

export interface RollingInput {
  desiredCount: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** Tasks of the PRIMARY deployment that ECS still wants running. */
  primary: PlanTask[];
  /** Tasks of older deployments that ECS still wants running. */
  old: PlanTask[];
  /** Tasks already being stopped: they count against maximumPercent until STOPPED. */
  stopping: number;
  /** False while the primary deployment FAILED or the service throttle logic holds launches back. */
  canLaunch: boolean;
  /** False when nothing will replace old tasks (a FAILED primary), so they are kept. */
  canReplaceOld: boolean;
}

export interface RollingPlan {
  launch: number;
  stop: string[];
  /** Neither starting nor stopping is allowed although the deployment is unfinished. */
  blocked: boolean;
}

export function planRollingStep(input: RollingInput): RollingPlan {
  const desired = input.desiredCount;
  const minHealthy = Math.ceil((desired * input.minimumHealthyPercent) / 100);
  const maxTasks = Math.floor((desired * input.maximumPercent) / 100);
  let healthy = [...input.primary, ...input.old].filter((t) => t.healthy).length;
  const stop: string[] = [];
  const tryStop = (task: PlanTask): void => {
    if (task.healthy) {
      if (healthy - 1 < minHealthy) return;
      healthy -= 1;
    }
    stop.push(task.arn);
  };
  const unhealthyFirst = (tasks: PlanTask[]) => [...tasks].sort((a, b) => Number(a.healthy) - Number(b.healthy));

  // Scale in the primary when it has more tasks than desired.
  const surplus = input.primary.length - desired;
  let stoppedPrimary = 0;
  for (const task of unhealthyFirst(input.primary)) {
    if (stoppedPrimary >= surplus) break;
    const before = stop.length;
    tryStop(task);
    stoppedPrimary += stop.length - before;
  }
  if (input.canReplaceOld || desired === 0) for (const task of unhealthyFirst(input.old)) tryStop(task);

  // Stopped tasks pass through STOPPING, which still counts against maximumPercent.
  const counted = input.primary.length + input.old.length + input.stopping;
  const missing = desired - (input.primary.length - stoppedPrimary);
  const launch = input.canLaunch ? Math.max(0, Math.min(missing, maxTasks - counted)) : 0;
  const blocked = input.canLaunch && missing > 0 && launch === 0 && stop.length === 0 && input.stopping === 0;
  return { launch, stop, blocked };
}
