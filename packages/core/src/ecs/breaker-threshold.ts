import type { DeploymentCircuitBreaker, ServiceDeployment } from '@aws-sdk/client-ecs';

/**
 * How many failed tasks trip ECS's deployment circuit breaker for a deployment. The service deployment says it
 * (ServiceDeploymentCircuitBreaker.threshold, API reference) when it was read; otherwise it is computed as ECS
 * documents it from DeploymentCircuitBreaker.thresholdConfiguration (ThresholdConfiguration and ThresholdType,
 * API reference): COUNT takes `value` as it is; BOUNDED_PERCENT (the default, value 50) is value% of the latest
 * desired count, at least 3 and at most 200; UNBOUNDED_PERCENT is the same without the bounds. The developer
 * guide's failure threshold table rounds 12.5 up to 13.
 */
export function breakerThreshold(
  breaker: DeploymentCircuitBreaker | undefined,
  desiredCount: number,
  serviceDeployment?: ServiceDeployment,
): number {
  const reported = serviceDeployment?.deploymentCircuitBreaker?.threshold;
  if (reported !== undefined && reported > 0) return reported;
  const type = breaker?.thresholdConfiguration?.type ?? 'BOUNDED_PERCENT';
  const value = breaker?.thresholdConfiguration?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, value);
  const share = Math.ceil((value / 100) * desiredCount);
  // An unknown type is read as the default, the bounded one.
  if (type === 'UNBOUNDED_PERCENT') return Math.max(1, share);
  return Math.min(200, Math.max(3, share));
}
