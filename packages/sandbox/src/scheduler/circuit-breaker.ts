/**
 * The deployment circuit breaker's threshold: 0.5 × the desired count, rounded up, at least 3 and at most
 * 200 (ServiceDeploymentCircuitBreaker.threshold in the API reference; the developer guide's "Failure
 * threshold" table rounds 12.5 up to 13). Older editions of the guide gave a minimum of 10; the current API
 * reference says 3.
 */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

export const CIRCUIT_BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
