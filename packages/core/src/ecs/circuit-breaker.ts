import type { Service } from '@aws-sdk/client-ecs';

/** Circuit breaker settings decide who calls a failure: ECS, or the watcher's failed-tasks threshold. */
export function circuitBreakerOf(service: Service): { enable: boolean; rollback: boolean } {
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  return { enable: breaker?.enable === true, rollback: breaker?.rollback === true };
}
