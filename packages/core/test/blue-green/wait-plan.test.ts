import { describe, expect, test } from '@jest/globals';
import type { DeploymentConfiguration, Service } from '@aws-sdk/client-ecs';
import { strategyBakeTimeMs } from '../../src/deployment/blue-green/bake-time';
import { waitMatters, waitPossibleCheck, watchPlan } from '../../src/use-cases/deploy/wait-check';
import { deployRequest } from '../use-cases/deploy/deploy-fixtures';

const MINUTE = 60_000;
const serviceWith = (deploymentConfiguration: DeploymentConfiguration): Service => ({
  serviceName: 'web',
  status: 'ACTIVE',
  deploymentConfiguration,
});
const blueGreen = (bakeTimeInMinutes: number, more: DeploymentConfiguration = {}) =>
  serviceWith({ strategy: 'BLUE_GREEN', bakeTimeInMinutes, ...more });
const rolling = serviceWith({});
const pauseHook = { targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] };

describe('strategyBakeTimeMs', () => {
  test('BLUE_GREEN bakes for bakeTimeInMinutes', () => {
    expect(strategyBakeTimeMs(blueGreen(15))).toBe(15 * MINUTE);
  });

  test('LINEAR adds a step bake between steps (one fewer than the steps)', () => {
    // 25 % steps: 25, 50, 75, 100; three step bakes of 2 minutes, then the final bake of 5.
    const linear = serviceWith({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 5,
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 },
    });
    expect(strategyBakeTimeMs(linear)).toBe((5 + 3 * 2) * MINUTE);
  });

  test("LINEAR without its configuration uses ECS's defaults (10 % steps, 6 minutes each)", () => {
    expect(strategyBakeTimeMs(serviceWith({ strategy: 'LINEAR', bakeTimeInMinutes: 0 }))).toBe(9 * 6 * MINUTE);
  });

  test('CANARY adds the canary bake', () => {
    const canary = serviceWith({
      strategy: 'CANARY',
      bakeTimeInMinutes: 5,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
    });
    expect(strategyBakeTimeMs(canary)).toBe(8 * MINUTE);
  });
});

describe('the watch plan and its pre-flight check', () => {
  test('the default timeout grows by the bake time', () => {
    expect(watchPlan(deployRequest({ timeoutMs: 30 * MINUTE }), blueGreen(20))).toEqual({ waitUntil: 'complete', timeoutMs: 50 * MINUTE });
  });

  test('an explicit timeout is taken as it is', () => {
    expect(watchPlan(deployRequest({ timeoutMs: 40 * MINUTE, timeoutGiven: true }), blueGreen(20)).timeoutMs).toBe(40 * MINUTE);
  });

  test('an explicit timeout shorter than the bake is refused with wait-until complete', async () => {
    const result = await waitPossibleCheck(deployRequest({ timeoutMs: 10 * MINUTE, timeoutGiven: true }), blueGreen(20)).run();
    expect(result).toMatchObject({ status: 'fail', input: 'timeout' });
    expect(result.detail).toBe(
      `Input 'timeout' (10m) is shorter than service "web"'s bake time (20m), and wait-until is complete: every healthy deploy would time out.`,
    );
  });

  test('the same timeout passes with wait-until bake, which does not wait through the bake', async () => {
    const result = await waitPossibleCheck(
      deployRequest({ timeoutMs: 10 * MINUTE, timeoutGiven: true, waitUntil: 'bake' }),
      blueGreen(20),
    ).run();
    expect(result.status).toBe('pass');
  });

  test('wait-until paused is refused on a rolling service, naming what it can do', async () => {
    const result = await waitPossibleCheck(deployRequest({ waitUntil: 'paused' }), rolling).run();
    expect(result).toMatchObject({ status: 'fail', input: 'wait-until', fix: 'Use complete or bake. Nothing was changed.' });
  });

  test('wait-until paused is refused on a blue/green service without a PAUSE hook', async () => {
    const result = await waitPossibleCheck(deployRequest({ waitUntil: 'paused' }), blueGreen(5)).run();
    expect(result).toMatchObject({ status: 'fail', input: 'wait-until' });
    expect(result.detail).toMatch(/has no PAUSE lifecycle hook/);
  });

  test('wait-until paused passes with a PAUSE hook', async () => {
    const result = await waitPossibleCheck(deployRequest({ waitUntil: 'paused' }), blueGreen(5, { lifecycleHooks: [pauseHook] })).run();
    expect(result).toMatchObject({ status: 'pass', detail: 'wait until paused, within 15m, the service bakes for 5m' });
  });

  test('service-deployment-arn is refused on a rolling service', async () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';
    const result = await waitPossibleCheck(deployRequest({ serviceDeploymentArn: arn }), rolling).run();
    expect(result).toMatchObject({ status: 'fail', input: 'service-deployment-arn' });
  });

  test('a plain rolling deploy has no wait check (no new row in its pre-flight table)', () => {
    expect(waitMatters(deployRequest(), rolling)).toBe(false);
    expect(waitMatters(deployRequest(), blueGreen(0))).toBe(true);
  });
});
