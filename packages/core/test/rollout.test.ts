import { describe, expect, test } from '@jest/globals';
import type { Service, Task } from '@aws-sdk/client-ecs';
import { isFailedTask, judgeRollout, type RolloutTarget } from '../src/ecs/rollout';
import { crashedTask, deployment, NEW_ID, OLD, OLD_ID, ROLLBACK_ID, service } from './fixtures/ecs';

const noBreaker: RolloutTarget = { deploymentId: NEW_ID, circuitBreaker: { enable: false, rollback: false }, failedTasksThreshold: 3 };
const breakerWithRollback: RolloutTarget = { ...noBreaker, circuitBreaker: { enable: true, rollback: true } };
const breakerNoRollback: RolloutTarget = { ...noBreaker, circuitBreaker: { enable: true, rollback: false } };

const oldActive = deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, rolloutState: 'COMPLETED' });

describe('judgeRollout', () => {
  test.each<[string, RolloutTarget, Service, Task[], string]>([
    ['new tasks starting beside the old ones', noBreaker, service([deployment({ pendingCount: 2 }), oldActive]), [], 'in-progress'],
    ['new tasks running but old deployment still draining', noBreaker, service([deployment({ runningCount: 2 }), oldActive]), [], 'in-progress'],
    ['rollout COMPLETED and the only deployment', noBreaker, service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]), [], 'succeeded'],
    [
      'only deployment but rollout still IN_PROGRESS (health checks pending)',
      noBreaker,
      service([deployment({ runningCount: 2 })]),
      [],
      'in-progress',
    ],
    [
      'no rollout state (older services): running equals desired',
      noBreaker,
      service([deployment({ runningCount: 2, rolloutState: undefined, rolloutStateReason: undefined })]),
      [],
      'succeeded',
    ],
    [
      'no rollout state: still pending',
      noBreaker,
      service([deployment({ runningCount: 1, pendingCount: 1, rolloutState: undefined })]),
      [],
      'in-progress',
    ],
    [
      'circuit breaker FAILED with rollback: ECS rolls back',
      breakerWithRollback,
      service([
        deployment({ id: ROLLBACK_ID, taskDefinition: OLD, status: 'PRIMARY' }),
        deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      ]),
      [],
      'rolled-back',
    ],
    [
      'circuit breaker FAILED without rollback',
      breakerNoRollback,
      service([deployment({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }), oldActive]),
      [],
      'failed',
    ],
    ['threshold reached without circuit breaker', noBreaker, service([deployment({}), oldActive]), [crashedTask(1), crashedTask(2), crashedTask(3)], 'failed'],
    ['below the threshold', noBreaker, service([deployment({}), oldActive]), [crashedTask(1), crashedTask(2)], 'in-progress'],
    [
      'threshold is ignored when ECS has a circuit breaker (ECS decides)',
      breakerWithRollback,
      service([deployment({ failedTasks: 3 }), oldActive]),
      [crashedTask(1), crashedTask(2), crashedTask(3)],
      'in-progress',
    ],
    [
      'another deployment became PRIMARY',
      noBreaker,
      service([deployment({ id: 'ecs-svc/9', taskDefinition: OLD }), deployment({ status: 'ACTIVE' })]),
      [],
      'failed',
    ],
    ['our deployment vanished', noBreaker, service([deployment({ id: 'ecs-svc/9', rolloutState: 'COMPLETED' })]), [], 'failed'],
  ])('%s', (_name, target, svc, failed, expected) => {
    expect(judgeRollout(target, { service: svc, failedTasks: failed }).state).toBe(expected);
  });

  test('a replacement names the deployment that replaced ours', () => {
    const verdict = judgeRollout(noBreaker, {
      service: service([deployment({ id: 'ecs-svc/9', taskDefinition: OLD }), deployment({ status: 'ACTIVE' })]),
      failedTasks: [],
    });
    expect(verdict).toMatchObject({ state: 'failed', replacedBy: { id: 'ecs-svc/9' } });
    expect(verdict.state === 'failed' && verdict.reason).toContain('ecs-svc/9 (web:7)');
  });

  test('the circuit breaker reason is carried through', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([
        deployment({ id: ROLLBACK_ID, taskDefinition: OLD }),
        deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      ]),
      failedTasks: [],
    });
    expect(verdict).toMatchObject({ state: 'rolled-back', reason: 'ECS deployment circuit breaker: tasks failed to start.' });
  });

  test('threshold message counts the failed tasks', () => {
    const verdict = judgeRollout({ ...noBreaker, failedTasksThreshold: 2 }, {
      service: service([deployment({}), oldActive]),
      failedTasks: [crashedTask(1), crashedTask(2)],
    });
    expect(verdict.state === 'failed' && verdict.reason).toBe('2 tasks of the new revision stopped (failed-tasks-threshold is 2)');
  });
});

describe('isFailedTask', () => {
  test.each<[string, Task, boolean]>([
    ['essential container exited', crashedTask(1), true],
    ['failed to start', crashedTask(1, 0, { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)', containers: [] }), true],
    [
      'ELB health check failure (stopped by the scheduler)',
      crashedTask(1, 0, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)', containers: [] }),
      true,
    ],
    ['container health check failure', crashedTask(1, 0, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', containers: [] }), true],
    ['scaled in by a deployment', crashedTask(1, 0, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)', containers: [] }), false],
    ['stopped by a person', crashedTask(1, 0, { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', containers: [] }), false],
    ['still running', crashedTask(1, 0, { lastStatus: 'RUNNING', desiredStatus: 'RUNNING', stopCode: undefined }), false],
  ])('%s', (_name, task, expected) => {
    expect(isFailedTask(task)).toBe(expected);
  });
});

describe('judgeRollout when our deployment has already gone', () => {
  const failedEvent = { id: 'e9', createdAt: new Date(), message: `(service web) (deployment ${NEW_ID}) deployment failed: tasks failed to start.` };
  const afterRollback = (events = [failedEvent]) => service([deployment({ id: ROLLBACK_ID, taskDefinition: OLD, rolloutState: 'COMPLETED' })], { events });

  test('a rollback that finished between two polls is still reported as rolled-back, from the service event', () => {
    const verdict = judgeRollout(breakerWithRollback, { service: afterRollback(), failedTasks: [] });
    expect(verdict).toMatchObject({ state: 'rolled-back', reason: 'deployment failed: tasks failed to start.' });
  });

  test('without rollback the same event is a failure', () => {
    expect(judgeRollout(breakerNoRollback, { service: afterRollback(), failedTasks: [] }).state).toBe('failed');
  });

  test('without that event it was replaced, and the replacement is named', () => {
    const verdict = judgeRollout(breakerWithRollback, { service: afterRollback([]), failedTasks: [] });
    expect(verdict).toMatchObject({ state: 'failed', replacedBy: { id: ROLLBACK_ID } });
  });
});
