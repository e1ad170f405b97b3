import { describe, expect, test } from '@jest/globals';
import { StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { registerRevision } from '../../../test/support/blue-green';
import { ecsClient } from './support/harness';
import { STEP_MS, atStage, ended, blueGreenWalk, useManualSandbox } from './support/blue-green-walk';

// LINEAR and CANARY deployments on the manual clock: how production traffic moves, step by step.
const sandbox = useManualSandbox();
const { latest, walk, share, steady, deploy } = blueGreenWalk(sandbox);

describe('LINEAR and CANARY', () => {
  test('LINEAR shifts production by stepPercent, a step bake between steps, then bakes', async () => {
    const { bg, v2 } = await steady('linear', {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 1,
      linearConfiguration: { stepPercent: 40, stepBakeTimeInMinutes: 2 },
    });
    await deploy(bg, v2);
    const green = bg.primaryTargetGroupArn;
    const shares: number[] = [];
    const stages: string[] = [];
    let stepStarted = 0;
    const times: number[] = [];
    for (;;) {
      const sd = await latest(bg);
      if (stages[stages.length - 1] !== sd.lifecycleStage) {
        stages.push(sd.lifecycleStage as string);
        if (sd.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT') times.push(stepStarted);
      }
      const now = await share(bg.productionRuleArn, green);
      if (shares[shares.length - 1] !== now) shares.push(now);
      if (ended(sd)) break;
      await sandbox.advance(STEP_MS);
      stepStarted += STEP_MS;
    }
    expect(shares).toEqual([0, 40, 80, 100]);
    expect(stages.slice(stages.indexOf('POST_TEST_TRAFFIC_SHIFT') + 1)).toEqual([
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
    // Each step after the first waits out the 2-minute step bake.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(2 * 60_000);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(2 * 60_000);
  });

  test('CANARY sends canaryPercent to green for the canary bake, then everything', async () => {
    const { bg, v2 } = await steady('canary', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 },
    });
    await deploy(bg, v2);
    let { sd } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    expect(await share(bg.productionRuleArn, bg.primaryTargetGroupArn)).toBe(12.5);
    expect(sd.targetServiceRevision?.requestedProductionTrafficWeight).toBe(12.5);
    await sandbox.advance(2 * 60_000);
    expect(await share(bg.productionRuleArn, bg.primaryTargetGroupArn)).toBe(12.5);
    await walk(bg, atStage('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(await share(bg.productionRuleArn, bg.primaryTargetGroupArn)).toBe(100);
    ({ sd } = await walk(bg, ended));
    expect(sd.status).toBe('SUCCESSFUL');
  });

  test('a rollback during the canary bake moves production back to blue', async () => {
    const { bg, v2 } = await steady('canary-stop', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    await deploy(bg, v2);
    const { sd } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    await ecsClient(sandbox).send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, stopType: 'ROLLBACK' }),
    );
    expect(await share(bg.productionRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    expect((await walk(bg, ended)).sd.status).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('a new deployment during the canary bake moves production back to blue before deploying', async () => {
    const { bg, v2 } = await steady('canary-superseded', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    const v3 = await registerRevision(sandbox, bg, 'v3');
    const blue = bg.alternateTargetGroupArn;
    await deploy(bg, v2);
    const { sd: canary } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    expect(await share(bg.productionRuleArn, blue)).toBe(90);
    await deploy(bg, v3);
    expect(await share(bg.productionRuleArn, blue)).toBe(100);
    expect(await share(bg.testRuleArn, blue)).toBe(100);
    const { sd, stages } = await walk(bg, atStage('PRODUCTION_TRAFFIC_SHIFT'));
    expect(sd.serviceDeploymentArn).not.toBe(canary.serviceDeploymentArn);
    expect(stages.slice(0, 2)).toEqual(['RECONCILE_SERVICE', 'PRE_SCALE_UP']);
    expect(await share(bg.productionRuleArn, blue)).toBe(90);
    expect((await walk(bg, ended)).sd.status).toBe('SUCCESSFUL');
  });
});
