import { describe, expect, test } from '@jest/globals';
import type { DeploymentCircuitBreaker } from '@aws-sdk/client-ecs';
import { blindSpotReason } from '../src/ecs/breaker-blind-spot';
import { breakerThreshold } from '../src/ecs/breaker-threshold';
import { serviceDeployment } from './fixtures/service-deployments';

describe('breakerThreshold', () => {
  const breaker = (thresholdConfiguration?: DeploymentCircuitBreaker['thresholdConfiguration']): DeploymentCircuitBreaker => ({
    enable: true,
    rollback: true,
    thresholdConfiguration,
  });

  test.each<[string, DeploymentCircuitBreaker | undefined, number, number]>([
    ['default: half the desired count', breaker(), 10, 5],
    ['default rounds up (the guide: 12.5 -> 13)', breaker(), 25, 13],
    ['default: at least 3', breaker(), 2, 3],
    ['default: at most 200', breaker(), 1000, 200],
    ['no breaker settings read as the default', undefined, 10, 5],
    ['BOUNDED_PERCENT 20', breaker({ type: 'BOUNDED_PERCENT', value: 20 }), 100, 20],
    ['BOUNDED_PERCENT keeps the bounds', breaker({ type: 'BOUNDED_PERCENT', value: 20 }), 5, 3],
    ['UNBOUNDED_PERCENT has no maximum', breaker({ type: 'UNBOUNDED_PERCENT', value: 50 }), 1000, 500],
    ['UNBOUNDED_PERCENT has no minimum of 3', breaker({ type: 'UNBOUNDED_PERCENT', value: 50 }), 2, 1],
    ['COUNT is the value itself', breaker({ type: 'COUNT', value: 7 }), 100, 7],
  ])('%s', (_name, settings, desired, expected) => {
    expect(breakerThreshold(settings, desired)).toBe(expected);
  });

  test("the service deployment's own threshold wins when it was read", () => {
    const sd = serviceDeployment({ deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 9 } });
    expect(breakerThreshold(breaker(), 2, sd)).toBe(9);
  });
});

describe('blindSpotReason', () => {
  const facts = { containerHealthCheck: false, loadBalancer: false, reachedRunning: 3, failed: 3, resetOnHealthyTask: true };

  test('no health check and no load balancer: ECS does not count crashes after RUNNING', () => {
    expect(blindSpotReason(facts)).toBe(
      'the task definition defines no container health check and the service has no load balancer, so ECS does not count tasks that crash after reaching RUNNING, and they all reached RUNNING before they stopped',
    );
  });

  test("with a health check: healthy tasks reset ECS's count", () => {
    expect(blindSpotReason({ ...facts, containerHealthCheck: true })).toBe(
      "they all reached RUNNING before they stopped, and each task that passed its health checks first reset ECS's count to 0 (resetOnHealthyTask)",
    );
  });

  test('an unreadable task definition says what ECS counts, without guessing', () => {
    expect(blindSpotReason({ ...facts, containerHealthCheck: undefined, reachedRunning: 2 })).toBe(
      'ECS counts a task only if it never reached RUNNING or failed a defined health check, the service has no load balancer, and 2 of them reached RUNNING before they stopped',
    );
  });
});
