import { describe, expect, test } from '@jest/globals';
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import {
  failedBeforeMessage,
  inProgressMessage,
  judgeUnchangedService,
  settledMessage,
  startedBeforeNote,
} from '../src/ecs/unchanged-service';
import { deployment, NEW_ID, OLD, OLD_ID, service } from './fixtures/ecs';

// DescribeServices answers for a service whose revision (NEW) is exactly what deploy-ecs rendered.
const completed = (overrides: Partial<Deployment> = {}) =>
  deployment({ rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${NEW_ID} completed.`, runningCount: 2, ...overrides });
const stillServing = deployment({
  id: OLD_ID,
  status: 'ACTIVE',
  taskDefinition: OLD,
  rolloutState: 'COMPLETED',
  runningCount: 2,
  createdAt: new Date('2025-12-31T00:00:00Z'),
});
const breakerReason = 'ECS deployment circuit breaker: tasks failed to start.';

describe('judgeUnchangedService: is the service settled on the revision it already runs?', () => {
  const cases: [string, Service, 'settled' | 'in-progress' | 'failed'][] = [
    ['one COMPLETED deployment running its desired count: settled', service([completed()]), 'settled'],
    [
      'an earlier run with wait: false, still rolling out',
      service([deployment({ runningCount: 1, pendingCount: 1 }), stillServing]),
      'in-progress',
    ],
    [
      'a crash loop without circuit breaker: ECS keeps the deployment IN_PROGRESS',
      service([deployment({ failedTasks: 0, runningCount: 0 }), stillServing]),
      'in-progress',
    ],
    [
      'the old tasks drained while the new ones crash: one deployment, never COMPLETED',
      service([deployment({ runningCount: 0 })]),
      'in-progress',
    ],
    [
      'the circuit breaker without rollback marked it FAILED, the old deployment still serving',
      service([deployment({ rolloutState: 'FAILED', rolloutStateReason: breakerReason, failedTasks: 3 }), stillServing]),
      'failed',
    ],
    ['FAILED and alone', service([deployment({ rolloutState: 'FAILED', rolloutStateReason: breakerReason })]), 'failed'],
    ['COMPLETED while the old deployment still drains', service([completed(), stillServing]), 'in-progress'],
    [
      'COMPLETED but short of its desired count (a task being replaced)',
      service([completed({ runningCount: 1, pendingCount: 1 })]),
      'in-progress',
    ],
    [
      'no rollout state (Classic Load Balancer): settled when nothing is pending and all run',
      service([deployment({ rolloutState: undefined, runningCount: 2 })]),
      'settled',
    ],
    [
      'no rollout state, tasks still pending',
      service([deployment({ rolloutState: undefined, runningCount: 2, pendingCount: 1 })]),
      'in-progress',
    ],
  ];

  test.each(cases)('%s', (_name, described, expected) => {
    const standing = judgeUnchangedService(described);
    expect(standing.state).toBe(expected);
    expect(standing.deployment.id).toBe(NEW_ID);
  });

  test('a FAILED deployment carries its rolloutStateReason', () => {
    const standing = judgeUnchangedService(
      service([deployment({ rolloutState: 'FAILED', rolloutStateReason: breakerReason }), stillServing]),
    );
    expect(standing).toEqual(expect.objectContaining({ state: 'failed', reason: breakerReason }));
  });

  test('a service without a PRIMARY deployment is an error, not a verdict', () => {
    expect(() => judgeUnchangedService(service([stillServing]))).toThrow(/no PRIMARY deployment/);
  });
});

describe('what the step says about it', () => {
  test('settled: which deployment, its state and its counts', () => {
    expect(settledMessage(completed())).toBe(
      `The service is settled on web:8 (deployment ${NEW_ID} COMPLETED, 2/2 running): nothing to deploy.`,
    );
  });

  test('in progress: which deployment, since when, and that the step watches it', () => {
    expect(inProgressMessage(deployment({ runningCount: 1 }))).toBe(
      `The service already runs this definition, but deployment ${NEW_ID} of web:8 is still in progress (created 2026-01-01T00:00:00.000Z, before this step; 1/2 running, IN_PROGRESS): watching it instead of deploying again.`,
    );
  });

  test('failed before: the deployment, its reason, and that force-new-deployment deploys it again', () => {
    const standing = judgeUnchangedService(
      service([deployment({ rolloutState: 'FAILED', rolloutStateReason: breakerReason }), stillServing]),
    );
    if (standing.state !== 'failed') throw new Error('expected failed');
    const message = failedBeforeMessage(standing);
    expect(message).toContain(`Deployment ${NEW_ID} of web:8 failed before this step: ${breakerReason.replace(/\.$/, '')}.`);
    expect(message).toContain('Set force-new-deployment: true to deploy web:8 again');
  });

  test("a watched deployment that fails is said not to be this step's", () => {
    expect(startedBeforeNote(deployment({}))).toContain(`deployment ${NEW_ID} had started before this step`);
    expect(startedBeforeNote(deployment({}))).toContain('force-new-deployment: true');
  });
});
