/** What a stopped task means for its service: failed-task counts and the service throttle logic. */
import type { Context } from '../context';
import { failDeployment } from '../ecs/deployments';
import { serviceEvent } from '../ecs/events';
import { findService } from '../ecs/resolve';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from '../ecs/state';
import { circuitBreakerThreshold } from './circuit-breaker';
import { ELB_HEALTH_CHECK_FAILED } from './unhealthy';

/**
 * Service throttle logic (developer guide, "Amazon ECS service throttle logic"): tasks that go from PENDING
 * straight to STOPPED make the scheduler wait longer and longer between attempts, "up to a maximum of 27
 * minutes" (older editions said 15). The guide gives no schedule; this one starts after 3 such failures at
 * 10 s and doubles.
 */
const THROTTLE_AFTER_FAILURES = 3;
const THROTTLE_FIRST_DELAY_MS = 10_000;
const THROTTLE_MAX_DELAY_MS = 27 * 60_000;

/** Tasks stopped for these reasons count as failed; tasks ECS or a person stopped on purpose do not. */
export function isFailedStop(task: TaskRecord, healthCheckReason: string): boolean {
  if (task.stopCode === 'TaskFailedToStart') return true;
  if (task.stoppedReason === healthCheckReason) return true;
  // So do tasks stopped for failing the load balancer's health checks (Deployment.failedTasks: a task that
  // fails any of its defined health checks and is stopped is a failure).
  if (task.stoppedReason?.startsWith(ELB_HEALTH_CHECK_FAILED)) return true;
  // Deployment.failedTasks (API reference) counts tasks that fail to reach RUNNING or fail health checks.
  // A container that exits right after RUNNING never became a "successfully running" task, and ECS's
  // circuit breaker is documented to catch exactly such crash loops; we read "successfully running" as
  // counted healthy by the scheduler (see scheduler/health), so such exits count too.
  return task.stopCode === 'EssentialContainerExited' && task.healthyAt === undefined;
}

export function noteTaskStopped(ctx: Context, task: TaskRecord): void {
  if (!task.deploymentId || !task.serviceName) return;
  const cluster = ctx.ecs.clusters.get(task.cluster);
  const service = cluster ? findService(ctx, cluster, task.serviceName) : undefined;
  if (!service) return;
  const failedChecks = task.stoppedReason === 'Task failed container health checks' || task.stoppedReason?.startsWith(ELB_HEALTH_CHECK_FAILED);
  if (task.stopCode !== 'ServiceSchedulerInitiated' || failedChecks) service.steady = false;
  const deployment = service.deployments.find((d) => d.id === task.deploymentId);
  if (deployment && isFailedStop(task, 'Task failed container health checks')) countFailedTask(ctx, service, deployment);
  if (task.stopCode === 'TaskFailedToStart') countStartFailure(ctx, service);
}

/**
 * One more failed task for the deployment's circuit breaker: "A task is considered a failure if the service
 * scheduler can't launch the task, the task doesn't transition to a RUNNING state, or if it fails any of its
 * defined health checks and is stopped" (Deployment.failedTasks, API reference).
 */
export function countFailedTask(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  if (deployment.rolloutState !== 'IN_PROGRESS') return;
  deployment.failedTasks += 1;
  deployment.updatedAt = ctx.clock.now();
  const sd = ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (sd && sd.deploymentIds[sd.deploymentIds.length - 1] === deployment.id) sd.failureCount = deployment.failedTasks;
  // "When the failure count equals the threshold, the deployment is marked as FAILED" (developer guide,
  // deployment circuit breaker): checked per failure, so tasks stopping together cannot overshoot it.
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (breaker.enable && deployment.status === 'PRIMARY' && deployment.failedTasks >= circuitBreakerThreshold(service.desiredCount)) {
    failDeployment(ctx, service, deployment);
  }
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
