/**
 * The deployment circuit breaker: its threshold, its failure count and its trip, in one place. What counts
 * as a failed task is decided in scheduler/accounting; this file only arms, counts and trips. Nothing else
 * fails a deployment for the breaker (ecs/deployment-failure only carries out what this file decided).
 */
import { record, type Context } from '../context';
import { failDeployment } from '../ecs/deployment-failure';
import type { CircuitBreakerRecord, DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from '../ecs/state';

export const CIRCUIT_BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

/**
 * The failure threshold (ThresholdConfiguration and ThresholdType, API reference):
 * - BOUNDED_PERCENT (the default, value 50): value% of the desired count, rounded up, at least 3 and at most
 *   200 (ServiceDeploymentCircuitBreaker.threshold; the developer guide's "Failure threshold" table rounds
 *   12.5 up to 13). Older editions of the guide gave a minimum of 10; the current API reference says 3.
 * - UNBOUNDED_PERCENT: the same product "without applying the 3-to-200 bounds". The reference gives no floor;
 *   a threshold of 0 would fail a deployment that had no failure, so it is at least 1 here.
 * - COUNT: value itself.
 */
export function circuitBreakerThreshold(desiredCount: number, configuration?: CircuitBreakerRecord['thresholdConfiguration']): number {
  const type = configuration?.type ?? 'BOUNDED_PERCENT';
  const value = configuration?.value ?? 50;
  if (type === 'COUNT') return value;
  const share = Math.ceil((value * desiredCount) / 100);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, share) : Math.min(200, Math.max(3, share));
}

/** The breaker's part of a new service deployment: monitoring or not, and the threshold fixed at its start. */
export function armCircuitBreaker(
  service: ServiceRecord,
): Pick<ServiceDeploymentRecord, 'circuitBreakerStatus' | 'failureCount' | 'threshold'> {
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  return {
    circuitBreakerStatus: breaker.enable ? 'MONITORING' : 'DISABLED',
    failureCount: 0,
    threshold: circuitBreakerThreshold(service.desiredCount, breaker.thresholdConfiguration),
  };
}

function serviceDeploymentOf(ctx: Context, deployment: DeploymentRecord): ServiceDeploymentRecord | undefined {
  return ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
}

/** The breaker as configured when the service deployment started (its deploymentConfiguration is a copy). */
function breakerOf(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): CircuitBreakerRecord {
  return (
    serviceDeploymentOf(ctx, deployment)?.deploymentConfiguration.deploymentCircuitBreaker ??
    service.deploymentConfiguration.deploymentCircuitBreaker
  );
}

function publish(ctx: Context, deployment: DeploymentRecord): void {
  const sd = serviceDeploymentOf(ctx, deployment);
  // The service deployment shows the count of the deployment that carries it out now (its last one).
  if (sd && sd.deploymentIds[sd.deploymentIds.length - 1] === deployment.id) sd.failureCount = deployment.failedTasks;
}

/**
 * A task of `deployment` failed (Deployment.failedTasks, API reference). "When the failure count equals the
 * threshold, the deployment is marked as FAILED" (developer guide, "How the Amazon ECS deployment circuit
 * breaker detects failures"): checked per failure, so tasks stopping together cannot overshoot it. The
 * threshold is the one stored on the service deployment when it started.
 */
export function noteFailedTask(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  if (deployment.rolloutState !== 'IN_PROGRESS') return;
  deployment.failedTasks += 1;
  deployment.updatedAt = ctx.clock.now();
  publish(ctx, deployment);
  const sd = serviceDeploymentOf(ctx, deployment);
  const threshold =
    sd?.threshold ?? circuitBreakerThreshold(service.desiredCount, breakerOf(ctx, service, deployment).thresholdConfiguration);
  if (breakerOf(ctx, service, deployment).enable && deployment.status === 'PRIMARY' && deployment.failedTasks >= threshold) {
    trip(ctx, service, deployment);
  }
}

function trip(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  record(ctx, {
    kind: 'circuit-breaker-tripped',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: deployment.id,
    taskDefinitionArn: deployment.taskDefinitionArn,
  });
  const sd = serviceDeploymentOf(ctx, deployment);
  if (sd) {
    sd.circuitBreakerStatus = 'TRIGGERED';
    sd.failureCount = deployment.failedTasks;
  }
  failDeployment(ctx, service, deployment, { kind: 'circuit-breaker', reason: CIRCUIT_BREAKER_REASON });
}

/**
 * A task of `deployment` is running successfully: "a task that reaches a healthy state resets the failure
 * count to 0" unless resetOnHealthyTask is false (DeploymentCircuitBreaker.resetOnHealthyTask, default true;
 * Deployment.failedTasks: "Once a service deployment has one or more successfully running tasks, the failed
 * task count resets to zero").
 */
export function noteSuccessfulTask(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  if (deployment.rolloutState !== 'IN_PROGRESS' || deployment.failedTasks === 0) return;
  if (breakerOf(ctx, service, deployment).resetOnHealthyTask === false) return;
  deployment.failedTasks = 0;
  deployment.updatedAt = ctx.clock.now();
  publish(ctx, deployment);
}
