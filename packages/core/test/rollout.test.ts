import { describe, expect, test } from '@jest/globals';
import type { Service, Task } from '@aws-sdk/client-ecs';
import { isFailedTask, judgeRollout, ROLLBACK_GRACE_MS, type RolloutObservation, type RolloutTarget } from '../src/ecs/rollout';
import type { ServiceDeploymentRead } from '../src/ecs/service-deployment-reader';
import { crashedTask, deployment, NEW, NEW_ID, OLD, OLD_ID, ROLLBACK_ID, service } from './fixtures/ecs';
import { alarmTriggered, rollingBack, serviceDeployment, stoppedWithoutRollback } from './fixtures/service-deployments';

const noBreaker: RolloutTarget = { deploymentId: NEW_ID, circuitBreaker: { enable: false, rollback: false }, failedTasksThreshold: 3 };
const breakerWithRollback: RolloutTarget = { ...noBreaker, circuitBreaker: { enable: true, rollback: true } };
const breakerNoRollback: RolloutTarget = { ...noBreaker, circuitBreaker: { enable: true, rollback: false } };

const oldActive = deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, rolloutState: 'COMPLETED' });

const FAILED_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
const failedOurs = (overrides = {}) =>
  deployment({ status: 'ACTIVE', failedTasks: 3, rolloutState: 'FAILED', rolloutStateReason: FAILED_REASON, ...overrides });
const rollbackPrimary = deployment({ id: ROLLBACK_ID, taskDefinition: OLD, createdAt: new Date('2026-01-01T00:01:00Z') });

describe('judgeRollout', () => {
  test.each<[string, RolloutTarget, Service, Task[], string, ServiceDeploymentRead?]>([
    ['new tasks starting beside the old ones', noBreaker, service([deployment({ pendingCount: 2 }), oldActive]), [], 'in-progress'],
    [
      'new tasks running but old deployment still draining',
      noBreaker,
      service([deployment({ runningCount: 2 }), oldActive]),
      [],
      'in-progress',
    ],
    [
      'rollout COMPLETED and the only deployment',
      noBreaker,
      service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]),
      [],
      'succeeded',
    ],
    [
      'COMPLETED but a task stopped since: short of the desired count',
      noBreaker,
      service([deployment({ runningCount: 1, pendingCount: 1, rolloutState: 'COMPLETED' })]),
      [],
      'in-progress',
    ],
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
      'circuit breaker FAILED with rollback, and the service deployment is rolling back',
      breakerWithRollback,
      service([rollbackPrimary, failedOurs()]),
      [],
      'rolled-back',
      rollingBack(),
    ],
    [
      'circuit breaker FAILED without rollback',
      breakerNoRollback,
      service([deployment({ rolloutState: 'FAILED', rolloutStateReason: FAILED_REASON }), oldActive]),
      [],
      'failed',
      serviceDeployment({ status: 'STOPPED', deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 } }),
    ],
    [
      'threshold reached without circuit breaker',
      noBreaker,
      service([deployment({}), oldActive]),
      [crashedTask(1), crashedTask(2), crashedTask(3)],
      'failed',
    ],
    ['below the threshold', noBreaker, service([deployment({}), oldActive]), [crashedTask(1), crashedTask(2)], 'in-progress'],
    [
      "the threshold is ECS's when it counts the failures too (ECS decides)",
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
      serviceDeployment({ status: 'STOPPED', statusReason: 'A newer service deployment started.' }),
    ],
    [
      'our deployment vanished',
      noBreaker,
      service([deployment({ id: 'ecs-svc/9', rolloutState: 'COMPLETED' })]),
      [],
      'failed',
      'unavailable',
    ],
    // A rest parameter: jest passes a done callback to a function declaring more parameters than a row has.
  ])('%s', (...[, target, svc, failed, expected, read]) => {
    expect(judgeRollout(target, { service: svc, failedTasks: failed, serviceDeployment: read }).state).toBe(expected);
  });

  test('a replacement names the deployment that replaced ours', () => {
    const verdict = judgeRollout(noBreaker, {
      service: service([deployment({ id: 'ecs-svc/9', taskDefinition: OLD }), deployment({ status: 'ACTIVE' })]),
      failedTasks: [],
      serviceDeployment: serviceDeployment({ status: 'STOPPED', statusReason: 'A newer service deployment started.' }),
    });
    expect(verdict).toMatchObject({ state: 'failed', replacedBy: { id: 'ecs-svc/9' } });
    expect(verdict.state === 'failed' && verdict.reason).toContain('ecs-svc/9 (web:7)');
  });

  test('the circuit breaker reason is carried through', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([rollbackPrimary, failedOurs()]),
      failedTasks: [],
      serviceDeployment: rollingBack(),
    });
    expect(verdict).toMatchObject({ state: 'rolled-back', cause: 'circuit-breaker', reason: FAILED_REASON });
  });

  test('threshold message counts the failed tasks', () => {
    const verdict = judgeRollout(
      { ...noBreaker, failedTasksThreshold: 2 },
      {
        service: service([deployment({}), oldActive]),
        failedTasks: [crashedTask(1), crashedTask(2)],
      },
    );
    expect(verdict.state === 'failed' && verdict.reason).toBe('2 tasks of the new revision stopped (failed-tasks-threshold is 2)');
  });
});

describe('isFailedTask', () => {
  test.each<[string, Task, boolean]>([
    ['essential container exited', crashedTask(1), true],
    [
      'failed to start',
      crashedTask(1, 0, {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        containers: [],
      }),
      true,
    ],
    [
      'ELB health check failure (stopped by the scheduler)',
      crashedTask(1, 0, {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason:
          'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)',
        containers: [],
      }),
      true,
    ],
    [
      'container health check failure',
      crashedTask(1, 0, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', containers: [] }),
      true,
    ],
    [
      'scaled in by a deployment',
      crashedTask(1, 0, {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
        containers: [],
      }),
      false,
    ],
    ['stopped by a person', crashedTask(1, 0, { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', containers: [] }), false],
    ['still running', crashedTask(1, 0, { lastStatus: 'RUNNING', desiredStatus: 'RUNNING', stopCode: undefined }), false],
  ])('%s', (_name, task, expected) => {
    expect(isFailedTask(task)).toBe(expected);
  });
});

describe('judgeRollout when our deployment has already gone', () => {
  const failedEvent = {
    id: 'e9',
    createdAt: new Date(),
    message: `(service web) (deployment ${NEW_ID}) deployment failed: tasks failed to start.`,
  };
  const afterRollback = (events = [failedEvent]) =>
    service([deployment({ id: ROLLBACK_ID, taskDefinition: OLD, rolloutState: 'COMPLETED' })], { events });
  const lastSeen = failedOurs();

  test('asks for the service deployment before deciding', () => {
    expect(judgeRollout(breakerWithRollback, { service: afterRollback(), failedTasks: [] })).toEqual({
      state: 'in-progress',
      wants: ['service-deployment'],
    });
  });

  test('a rollback that finished between two polls is rolled-back, from the service deployment', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: afterRollback([]),
      failedTasks: [],
      serviceDeployment: rollingBack('ROLLBACK_SUCCESSFUL'),
      lastSeen,
    });
    expect(verdict).toMatchObject({ state: 'rolled-back', cause: 'circuit-breaker', reason: FAILED_REASON });
  });

  test("ECS's own rollback that failed is failed, whatever the breaker settings", () => {
    const read = rollingBack('ROLLBACK_SUCCESSFUL', {
      status: 'ROLLBACK_FAILED',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start while rolling back.',
    });
    const verdict = judgeRollout(breakerWithRollback, { service: afterRollback([]), failedTasks: [], serviceDeployment: read, lastSeen });
    expect(verdict).toMatchObject({ state: 'failed', cause: 'rollback-failed' });
    expect(verdict.state === 'failed' && verdict.reason).toBe(
      "ECS's own rollback failed (ECS deployment circuit breaker: tasks failed to start while rolling back)",
    );
  });

  test('without the service deployment, the failure event and the rollback deployment on the earlier revision say rolled-back', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: afterRollback(),
      failedTasks: [],
      serviceDeployment: 'unavailable',
      lastSeen,
      earlierTaskDefinitions: [OLD],
    });
    expect(verdict).toMatchObject({ state: 'rolled-back', reason: 'deployment failed: tasks failed to start.' });
  });

  test('without the service deployment, the failure event alone is a failure: no rollback was seen', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: afterRollback(),
      failedTasks: [],
      serviceDeployment: 'unavailable',
      lastSeen,
    });
    expect(verdict).toMatchObject({ state: 'failed', reason: 'deployment failed: tasks failed to start.' });
  });

  test('without rollback the same event is a failure', () => {
    expect(
      judgeRollout(breakerNoRollback, { service: afterRollback(), failedTasks: [], serviceDeployment: 'unavailable', lastSeen }).state,
    ).toBe('failed');
  });

  test('a service deployment stopped by a newer one: replaced, and the replacement is named', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: afterRollback([]),
      failedTasks: [],
      serviceDeployment: serviceDeployment({ status: 'STOPPED', statusReason: 'A newer service deployment started.' }),
      lastSeen,
    });
    expect(verdict).toMatchObject({ state: 'failed', cause: 'replaced', replacedBy: { id: ROLLBACK_ID } });
  });

  test('without the service deployment or the event it was replaced', () => {
    const verdict = judgeRollout(breakerWithRollback, { service: afterRollback([]), failedTasks: [], serviceDeployment: 'unavailable' });
    expect(verdict).toMatchObject({ state: 'failed', replacedBy: { id: ROLLBACK_ID } });
  });
});

describe('judgeRollout says rolled-back only once a rollback is seen', () => {
  const failedBesideOld = () => service([failedOurs({ status: 'PRIMARY' }), oldActive]);

  test('a FAILED deployment first asks for the service deployment', () => {
    expect(judgeRollout(breakerWithRollback, { service: failedBesideOld(), failedTasks: [] })).toMatchObject({
      state: 'in-progress',
      wants: ['service-deployment'],
    });
  });

  test.each(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'] as const)(
    'service deployment %s: rolled-back',
    (status) => {
      const verdict = judgeRollout(breakerWithRollback, {
        service: failedBesideOld(),
        failedTasks: [],
        serviceDeployment: rollingBack(status),
      });
      expect(verdict).toMatchObject({ state: 'rolled-back', cause: 'circuit-breaker' });
    },
  );

  test('the breaker tripped with rollback on but ECS found no completed deployment to roll back to: failed', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([failedOurs({ status: 'PRIMARY' })]),
      failedTasks: [],
      serviceDeployment: stoppedWithoutRollback(),
    });
    expect(verdict).toMatchObject({ state: 'failed', cause: 'circuit-breaker', noRollback: true });
    expect(verdict.state === 'failed' && verdict.reason).toBe(
      'ECS deployment circuit breaker: tasks failed to start; ECS did not roll back: it found no completed deployment to roll back to',
    );
  });

  test('ECS gets a few seconds to show a rollback before the watcher says none came', () => {
    const tripped = serviceDeployment({
      status: 'IN_PROGRESS',
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
    });
    const observe = (awaitingRollbackMs: number): RolloutObservation => ({
      service: failedBesideOld(),
      failedTasks: [],
      serviceDeployment: tripped,
      awaitingRollbackMs,
    });
    expect(judgeRollout(breakerWithRollback, observe(0))).toMatchObject({ state: 'in-progress', awaiting: 'rollback' });
    expect(judgeRollout(breakerWithRollback, observe(ROLLBACK_GRACE_MS - 1))).toMatchObject({ state: 'in-progress', awaiting: 'rollback' });
    const verdict = judgeRollout(breakerWithRollback, observe(ROLLBACK_GRACE_MS));
    expect(verdict).toMatchObject({ state: 'failed', noRollback: true });
    expect(verdict.state === 'failed' && verdict.reason).toContain('no rollback started within 15s');
  });

  test('without the service deployment, a newer PRIMARY deployment back on the earlier revision is the rollback', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([rollbackPrimary, failedOurs(), oldActive]),
      failedTasks: [],
      serviceDeployment: 'unavailable',
    });
    expect(verdict).toMatchObject({ state: 'rolled-back', cause: 'circuit-breaker' });
  });

  test('without the service deployment, a newer PRIMARY deployment of another revision is no rollback', () => {
    const other = deployment({ id: ROLLBACK_ID, taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9' });
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([other, failedOurs(), oldActive]),
      failedTasks: [],
      serviceDeployment: 'unavailable',
      awaitingRollbackMs: ROLLBACK_GRACE_MS,
    });
    expect(verdict).toMatchObject({ state: 'failed', noRollback: true });
  });

  test('the service deployment outranks the deployments: stopped without rollback is failed, even beside a deployment of the old revision', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([rollbackPrimary, failedOurs(), oldActive]),
      failedTasks: [],
      serviceDeployment: stoppedWithoutRollback(),
    });
    expect(verdict).toMatchObject({ state: 'failed', noRollback: true });
  });

  test("ROLLBACK_FAILED is failed: ECS's own rollback failed", () => {
    const read = rollingBack('ROLLBACK_IN_PROGRESS', {
      status: 'ROLLBACK_FAILED',
      statusReason: 'tasks failed to start while rolling back.',
    });
    const verdict = judgeRollout(breakerWithRollback, {
      service: service([rollbackPrimary, failedOurs()]),
      failedTasks: [],
      serviceDeployment: read,
    });
    expect(verdict).toMatchObject({
      state: 'failed',
      cause: 'rollback-failed',
      reason: "ECS's own rollback failed (tasks failed to start while rolling back)",
    });
  });

  test('a rollback someone asked for (StopServiceDeployment) is rolled-back', () => {
    const read = rollingBack('ROLLBACK_REQUESTED', {
      deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
      rollback: { reason: 'Rollback requested with StopServiceDeployment.' },
    });
    const verdict = judgeRollout(noBreaker, {
      service: service([rollbackPrimary, deployment({ status: 'ACTIVE' })]),
      failedTasks: [],
      serviceDeployment: read,
    });
    expect(verdict).toMatchObject({
      state: 'rolled-back',
      cause: 'rollback-requested',
      reason: 'Rollback requested with StopServiceDeployment.',
    });
  });
});

describe('judgeRollout with CloudWatch deployment alarms', () => {
  const alarmFailed = () =>
    deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment alarms: web-5xx in ALARM state.' });

  test('an alarm rollback is rolled-back and names the alarm that triggered', () => {
    const verdict = judgeRollout(noBreaker, {
      service: service([rollbackPrimary, alarmFailed()]),
      failedTasks: [],
      serviceDeployment: alarmTriggered(true),
    });
    expect(verdict).toMatchObject({
      state: 'rolled-back',
      cause: 'alarm',
      alarmNames: ['web-5xx'],
      reason: 'CloudWatch alarm "web-5xx" went into ALARM',
    });
  });

  test('an alarm without rollback is failed and names the alarm, as soon as the service deployment shows it', () => {
    const verdict = judgeRollout(noBreaker, {
      service: service([deployment({ runningCount: 1 }), oldActive]),
      failedTasks: [],
      serviceDeployment: alarmTriggered(false),
    });
    expect(verdict).toMatchObject({
      state: 'failed',
      cause: 'alarm',
      alarmNames: ['web-5xx'],
      reason: 'CloudWatch alarm "web-5xx" went into ALARM',
    });
  });

  test('an alarm with rollback on waits for the rollback, and says none came', () => {
    const triggered = alarmTriggered(true, { status: 'IN_PROGRESS', rollback: undefined });
    const observe = (awaitingRollbackMs: number): RolloutObservation => ({
      service: service([deployment({}), oldActive]),
      failedTasks: [],
      serviceDeployment: triggered,
      awaitingRollbackMs,
    });
    expect(judgeRollout(noBreaker, observe(0))).toMatchObject({ state: 'in-progress', awaiting: 'rollback' });
    expect(judgeRollout(noBreaker, observe(ROLLBACK_GRACE_MS))).toMatchObject({ state: 'failed', cause: 'alarm', noRollback: true });
  });

  test('watching the rollback itself (auto-rollback), the alarm that started it is not held against it', () => {
    const sd = alarmTriggered(true, { status: 'ROLLBACK_IN_PROGRESS' });
    const rollback = deployment({ id: ROLLBACK_ID, taskDefinition: OLD, createdAt: sd.rollback?.startedAt, runningCount: 1 });
    const target = { ...noBreaker, deploymentId: ROLLBACK_ID };
    expect(judgeRollout(target, { service: service([rollback, alarmFailed()]), failedTasks: [], serviceDeployment: sd })).toMatchObject({
      state: 'in-progress',
    });
    const done = service([{ ...rollback, runningCount: 2, rolloutState: 'COMPLETED' }]);
    expect(
      judgeRollout(target, { service: done, failedTasks: [], serviceDeployment: { ...sd, status: 'ROLLBACK_SUCCESSFUL' } }).state,
    ).toBe('succeeded');
  });
});

describe("judgeRollout's backstop for crashes the circuit breaker does not count", () => {
  const crashes = (n: number) =>
    Array.from({ length: n }, (_, i) => crashedTask(i + 1, 1, { startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }));
  const crashing = (desiredCount = 2, failedTasks = 0) => service([deployment({ desiredCount, failedTasks }), oldActive], { desiredCount });
  const BLIND = 'the task definition defines no container health check and the service has no load balancer';

  test("at ECS's threshold of our own counted failures while ECS counts none, it asks for ECS's threshold and why", () => {
    expect(judgeRollout(breakerWithRollback, { service: crashing(), failedTasks: crashes(3) })).toMatchObject({
      state: 'in-progress',
      wants: ['service-deployment', 'blind-spot'],
    });
  });

  test('then fails, saying the breaker did not trip and why', () => {
    const verdict = judgeRollout(breakerWithRollback, {
      service: crashing(),
      failedTasks: crashes(3),
      serviceDeployment: serviceDeployment(),
      blindSpot: BLIND,
    });
    expect(verdict).toMatchObject({ state: 'failed', cause: 'breaker-did-not-trip', deployment: { id: NEW_ID, taskDefinition: NEW } });
    expect(verdict.state === 'failed' && verdict.reason).toBe(
      `3 tasks of the new revision stopped, but ECS's circuit breaker did not trip (it counts 0 of its threshold 3): ${BLIND}. ` +
        "This step's backstop, the larger of ECS's threshold and failed-tasks-threshold (3), is 3",
    );
  });

  test.each<[string, number, number, number, string]>([
    ["below ECS's threshold for 10 tasks (5)", 10, 3, 4, 'in-progress'],
    ["at ECS's threshold for 10 tasks (5)", 10, 3, 5, 'failed'],
    ["below a failed-tasks-threshold above ECS's", 2, 8, 7, 'in-progress'],
    ["at a failed-tasks-threshold above ECS's", 2, 8, 8, 'failed'],
  ])('%s', (_name, desired, input, counted, expected) => {
    const verdict = judgeRollout(
      { ...breakerWithRollback, failedTasksThreshold: input },
      { service: crashing(desired), failedTasks: crashes(counted), serviceDeployment: 'unavailable', blindSpot: BLIND },
    );
    expect(verdict.state).toBe(expected);
  });

  test("ECS's threshold is the service deployment's when it says one", () => {
    const sd = serviceDeployment({ deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 6 } });
    expect(
      judgeRollout(breakerWithRollback, { service: crashing(), failedTasks: crashes(5), serviceDeployment: sd, blindSpot: BLIND }).state,
    ).toBe('in-progress');
    expect(
      judgeRollout(breakerWithRollback, { service: crashing(), failedTasks: crashes(6), serviceDeployment: sd, blindSpot: BLIND }).state,
    ).toBe('failed');
  });

  test("ECS's thresholdConfiguration counts when the service deployment is not read", () => {
    const svc = crashing();
    svc.deploymentConfiguration = {
      deploymentCircuitBreaker: { enable: true, rollback: true, thresholdConfiguration: { type: 'COUNT', value: 5 } },
    };
    expect(
      judgeRollout(breakerWithRollback, { service: svc, failedTasks: crashes(4), serviceDeployment: 'unavailable', blindSpot: BLIND })
        .state,
    ).toBe('in-progress');
    expect(
      judgeRollout(breakerWithRollback, { service: svc, failedTasks: crashes(5), serviceDeployment: 'unavailable', blindSpot: BLIND })
        .state,
    ).toBe('failed');
  });

  test('no backstop while ECS counts the failures too, or once its breaker has tripped', () => {
    const counting = { service: crashing(2, 3), failedTasks: crashes(3), serviceDeployment: serviceDeployment(), blindSpot: BLIND };
    expect(judgeRollout(breakerWithRollback, counting).state).toBe('in-progress');
    const tripped = serviceDeployment({ deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 } });
    expect(
      judgeRollout(breakerWithRollback, { service: crashing(), failedTasks: crashes(3), serviceDeployment: tripped, blindSpot: BLIND })
        .state,
    ).toBe('in-progress');
  });

  test("only failures counted a while before ECS's answer count, so ECS has had the time to count them too", () => {
    const observation = { service: crashing(), failedTasks: crashes(3), serviceDeployment: serviceDeployment(), blindSpot: BLIND };
    expect(judgeRollout(breakerWithRollback, { ...observation, settledFailures: 2 }).state).toBe('in-progress');
    expect(judgeRollout(breakerWithRollback, { ...observation, settledFailures: 3 }).state).toBe('failed');
  });
});
