/** What a stopped task means for its service: failed-task counts and the service throttle logic. */
import type { Context } from '../context';
import { serviceEvent } from '../ecs/events';
import { findService } from '../ecs/resolve';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from '../ecs/state';
import type { TaskEvent } from '../tasks/events';
import { noteFailedTask, noteSuccessfulTask } from './circuit-breaker';
import { stoppedForFailedHealthCheck } from './unhealthy';

/**
 * Service throttle logic (developer guide, "Amazon ECS service throttle logic"): tasks that go from PENDING
 * straight to STOPPED make the scheduler wait longer and longer between attempts, "up to a maximum of 27
 * minutes" (older editions said 15). The guide gives no schedule; this one starts after 3 such failures at
 * 10 s and doubles.
 */
const THROTTLE_AFTER_FAILURES = 3;
const THROTTLE_FIRST_DELAY_MS = 10_000;
const THROTTLE_MAX_DELAY_MS = 27 * 60_000;

/**
 * Whether the task has a health check the circuit breaker watches in its stage 2: an essential container's
 * health check or a load balancer target (developer guide, "How the Amazon ECS deployment circuit breaker
 * detects failures": "Elastic Load Balancing load balancers ... Amazon ECS container health checks").
 */
export function hasDefinedHealthCheck(task: TaskRecord, service: ServiceRecord): boolean {
  return (
    task.containers.some((c) => c.essential && c.hasHealthCheck) || (task.targets?.length ?? 0) > 0 || service.loadBalancers.length > 0
  );
}

/**
 * Tasks that count as failed (Deployment.failedTasks, API reference: "the service scheduler can't launch the
 * task, the task doesn't transition to a RUNNING state, or if it fails any of its defined health checks and
 * is stopped"; the developer guide's stage 1 and stage 2). Tasks ECS or a person stopped on purpose do not.
 * A task without a health check that reached RUNNING was a successfully running task (stage 1 passed, and
 * stage 2 has nothing to check), so its later crash is not a failure: a crash loop of such tasks never trips
 * the breaker, on AWS as here. With a health check, a crash before the checks passed is a failed check.
 */
export function isFailedStop(task: TaskRecord, service: ServiceRecord): boolean {
  if (task.stopCode === 'TaskFailedToStart') return true;
  if (stoppedForFailedHealthCheck(task.stoppedReason)) return true;
  if (task.stopCode !== 'EssentialContainerExited') return false;
  if (task.startedAt === undefined) return true;
  return hasDefinedHealthCheck(task, service) && task.healthyAt === undefined;
}

function serviceOf(ctx: Context, task: TaskRecord, deploymentId: string | undefined): ServiceRecord | undefined {
  if (!deploymentId || !task.serviceName) return undefined;
  const cluster = ctx.ecs.clusters.get(task.cluster);
  return cluster ? findService(ctx, cluster, task.serviceName) : undefined;
}

/**
 * A service task reached RUNNING. Without a health check this is the moment it runs successfully, which resets
 * the failure count (resetOnHealthyTask); with one, the scheduler resets it once the checks pass.
 */
export function noteTaskRunning(ctx: Context, event: Extract<TaskEvent, { kind: 'running' }>): void {
  const { task, deploymentId } = event;
  const service = serviceOf(ctx, task, deploymentId);
  const deployment = service?.deployments.find((d) => d.id === deploymentId);
  if (service && deployment && !hasDefinedHealthCheck(task, service)) noteSuccessfulTask(ctx, service, deployment);
}

/**
 * The scheduler counts a task as healthy for the first time (scheduler/health). A task with a health check is
 * running successfully for the circuit breaker from then on; one without was counted when it reached RUNNING.
 */
export function noteTaskHealthy(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord, task: TaskRecord): void {
  resetThrottle(service.throttle);
  if (hasDefinedHealthCheck(task, service)) noteSuccessfulTask(ctx, service, deployment);
}

export function noteTaskStopped(ctx: Context, event: Extract<TaskEvent, { kind: 'stopped' }>): void {
  const { task, deploymentId, stopCode, stoppedReason } = event;
  const service = serviceOf(ctx, task, deploymentId);
  if (!service) return;
  if (stopCode !== 'ServiceSchedulerInitiated' || stoppedForFailedHealthCheck(stoppedReason)) service.steady = false;
  const deployment = service.deployments.find((d) => d.id === deploymentId);
  if (deployment && isFailedStop(task, service)) noteFailedTask(ctx, service, deployment);
  if (stopCode === 'TaskFailedToStart') countStartFailure(ctx, service);
}

/** One more task the scheduler could not start, for the service throttle logic. */
export function countStartFailure(ctx: Context, service: ServiceRecord): void {
  const throttle = service.throttle;
  throttle.failures += 1;
  if (throttle.failures < THROTTLE_AFTER_FAILURES) return;
  const delay = Math.min(THROTTLE_MAX_DELAY_MS, THROTTLE_FIRST_DELAY_MS * 2 ** (throttle.failures - THROTTLE_AFTER_FAILURES));
  throttle.resumeAt = ctx.clock.now() + ctx.clock.scaled(delay);
  if (!throttle.announced) serviceEvent(ctx, service, 'is unable to consistently start tasks successfully.');
  throttle.announced = true;
}

/** A task that reached RUNNING ends a run of start failures. */
export function resetThrottle(serviceThrottle: { failures: number; resumeAt: number; announced: boolean }): void {
  serviceThrottle.failures = 0;
  serviceThrottle.resumeAt = 0;
  serviceThrottle.announced = false;
}
