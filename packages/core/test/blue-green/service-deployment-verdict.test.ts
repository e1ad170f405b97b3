import { describe, expect, test } from '@jest/globals';
import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { stagePosition, stageReached } from '../../src/ecs/lifecycle-stages';
import { judgeServiceDeployment } from '../../src/ecs/service-deployment-verdict';
import { serviceDeployment } from '../fixtures/service-deployments';

const at = (lifecycleStage: string, production?: number, overrides: Partial<ServiceDeployment> = {}) =>
  serviceDeployment({
    lifecycleStage: lifecycleStage as ServiceDeployment['lifecycleStage'],
    targetServiceRevision: {
      arn: 'target',
      ...(production !== undefined ? { requestedProductionTrafficWeight: production, requestedTestTrafficWeight: 100 } : {}),
    },
    ...overrides,
  });
const pauseHook = (status: string): DeploymentLifecycleHookDetail => ({
  hookId: 'ecs-pause-1',
  targetType: 'PAUSE',
  status: status as DeploymentLifecycleHookDetail['status'],
});

describe('lifecycle stages by position', () => {
  test('a later stage has reached an earlier one, a missed short stage included', () => {
    expect(stageReached('CLEAN_UP', 'BAKE_TIME')).toBe(true);
    expect(stageReached('BAKE_TIME', 'BAKE_TIME')).toBe(true);
    expect(stageReached('POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME')).toBe(false);
  });

  test('an unknown stage has a position of -1 and reaches nothing', () => {
    expect(stagePosition('WARM_UP_CACHES')).toBe(-1);
    expect(stageReached('WARM_UP_CACHES', 'RECONCILE_SERVICE')).toBe(false);
  });
});

describe('judgeServiceDeployment', () => {
  test('SUCCESSFUL is the success', () => {
    expect(judgeServiceDeployment(at('CLEAN_UP', 100, { status: 'SUCCESSFUL' }))).toEqual({ state: 'succeeded' });
  });

  test('under way is in progress, whatever the stage', () => {
    expect(judgeServiceDeployment(at('BAKE_TIME', 100))).toEqual({ state: 'in-progress' });
  });

  test('a status this suite does not know is waited on, not fatal', () => {
    expect(judgeServiceDeployment(at('BAKE_TIME', 100, { status: 'RECALIBRATING' as ServiceDeployment['status'] }))).toEqual({
      state: 'in-progress',
    });
  });

  test('a rollback for a triggered alarm names the alarm', () => {
    const sd = at('BAKE_TIME', 100, {
      status: 'ROLLBACK_IN_PROGRESS',
      alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx', 'web-latency'], triggeredAlarmNames: ['web-5xx'] },
    });
    expect(judgeServiceDeployment(sd)).toEqual({
      state: 'rolled-back',
      cause: 'alarm',
      reason: 'CloudWatch alarm "web-5xx" went into ALARM',
      alarmNames: ['web-5xx'],
    });
  });

  test('a rollback for the circuit breaker gives its count and threshold', () => {
    const sd = at('SCALE_UP', 0, {
      status: 'ROLLBACK_REQUESTED',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
    });
    expect(judgeServiceDeployment(sd)).toMatchObject({
      state: 'rolled-back',
      cause: 'circuit-breaker',
      reason:
        'the deployment circuit breaker tripped: 3 failed tasks of its threshold 3 (ECS deployment circuit breaker: tasks failed to start)',
    });
  });

  test.each(['FAILED', 'TIMED_OUT'])('a rollback for a hook that %s names the hook', (status) => {
    const sd = at('POST_TEST_TRAFFIC_SHIFT', 0, {
      status: 'ROLLBACK_SUCCESSFUL',
      statusReason: 'deployment failed: hook execution failure(s) detected',
      lifecycleHookDetails: [
        {
          hookId: 'ecs-hook-1',
          targetType: 'AWS_LAMBDA',
          targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:gate',
          status: 'SUCCEEDED',
        },
        { ...pauseHook(status) },
      ],
    });
    expect(judgeServiceDeployment(sd)).toEqual({
      state: 'rolled-back',
      cause: 'lifecycle-hook',
      reason: `PAUSE hook ecs-pause-1 ${status} (deployment failed: hook execution failure(s) detected)`,
    });
  });

  test("a rollback someone asked for gives ECS's reason", () => {
    const sd = at('BAKE_TIME', 100, { status: 'ROLLBACK_IN_PROGRESS', rollback: { reason: 'Rollback requested by a user.' } });
    expect(judgeServiceDeployment(sd)).toEqual({
      state: 'rolled-back',
      cause: 'rollback-requested',
      reason: 'Rollback requested by a user',
    });
  });

  test.each(['STOPPED', 'STOP_REQUESTED'])("%s is a failure with ECS's reason", (status) => {
    const sd = at('SCALE_UP', 0, { status: status as ServiceDeployment['status'], statusReason: 'Replaced by a newer deployment.' });
    expect(judgeServiceDeployment(sd)).toMatchObject({
      state: 'failed',
      reason: `the service deployment was ${status}: Replaced by a newer deployment`,
    });
  });

  test('ROLLBACK_FAILED is a failure of the rollback', () => {
    expect(judgeServiceDeployment(at('CLEAN_UP', 0, { status: 'ROLLBACK_FAILED', statusReason: 'tasks failed.' }))).toEqual({
      state: 'failed',
      cause: 'rollback-failed',
      reason: "ECS's own rollback failed (tasks failed)",
    });
  });

  describe('wait-until bake', () => {
    test('BAKE_TIME with production wholly on the new revision is baking', () => {
      expect(judgeServiceDeployment(at('BAKE_TIME', 100), { waitUntil: 'bake' })).toEqual({ state: 'baking' });
    });

    test('a poll that missed BAKE_TIME and sees CLEAN_UP is baking too', () => {
      expect(judgeServiceDeployment(at('CLEAN_UP', 100), { waitUntil: 'bake' })).toEqual({ state: 'baking' });
    });

    test('a step bake of a linear deployment (production at 30%) is not the bake', () => {
      expect(judgeServiceDeployment(at('PRODUCTION_TRAFFIC_SHIFT', 30), { waitUntil: 'bake' })).toEqual({ state: 'in-progress' });
      // Whatever the stage reads, production not wholly on the new revision is not the final bake.
      expect(judgeServiceDeployment(at('BAKE_TIME', 30), { waitUntil: 'bake' })).toEqual({ state: 'in-progress' });
    });

    test('an unknown stage is not taken for the bake', () => {
      expect(judgeServiceDeployment(at('SOAK', 100), { waitUntil: 'bake' })).toEqual({ state: 'in-progress' });
    });

    test('an alarm during the bake still ends it rolled back', () => {
      const sd = at('BAKE_TIME', 100, { status: 'ROLLBACK_REQUESTED', alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] } });
      expect(judgeServiceDeployment(sd, { waitUntil: 'bake' })).toMatchObject({ state: 'rolled-back', cause: 'alarm' });
    });
  });

  describe('wait-until paused', () => {
    test('a PAUSE hook awaiting action is paused, with its id', () => {
      const sd = at('POST_TEST_TRAFFIC_SHIFT', 0, { lifecycleHookDetails: [pauseHook('AWAITING_ACTION')] });
      expect(judgeServiceDeployment(sd, { waitUntil: 'paused' })).toEqual({ state: 'paused', hookId: 'ecs-pause-1' });
    });

    test('a hook already answered is not a pause', () => {
      const sd = at('PRE_PRODUCTION_TRAFFIC_SHIFT', 0, { lifecycleHookDetails: [pauseHook('SUCCEEDED')] });
      expect(judgeServiceDeployment(sd, { waitUntil: 'paused' })).toEqual({ state: 'in-progress' });
    });

    test('with wait-until complete a pause is waited through', () => {
      const sd = at('POST_TEST_TRAFFIC_SHIFT', 0, { lifecycleHookDetails: [pauseHook('AWAITING_ACTION')] });
      expect(judgeServiceDeployment(sd)).toEqual({ state: 'in-progress' });
    });
  });

  describe('a rollback asked for on purpose', () => {
    test('ROLLBACK_SUCCESSFUL is its success', () => {
      expect(judgeServiceDeployment(at('CLEAN_UP', 0, { status: 'ROLLBACK_SUCCESSFUL' }), { expect: 'rollback' })).toEqual({
        state: 'succeeded',
      });
    });

    test('rolling back is still in progress', () => {
      expect(judgeServiceDeployment(at('BAKE_TIME', 0, { status: 'ROLLBACK_IN_PROGRESS' }), { expect: 'rollback' })).toEqual({
        state: 'in-progress',
      });
    });

    test('a deployment that completed instead is a failure of the rollback', () => {
      expect(judgeServiceDeployment(at('CLEAN_UP', 100, { status: 'SUCCESSFUL' }), { expect: 'rollback' })).toMatchObject({
        state: 'failed',
        reason: 'the service deployment completed instead of rolling back',
      });
    });
  });
});
