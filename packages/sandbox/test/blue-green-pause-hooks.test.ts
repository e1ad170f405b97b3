import { describe, expect, test } from '@jest/globals';
import { ContinueServiceDeploymentCommand, InvalidParameterException, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { ecsClient } from './support/harness';
import { PASS_MS, ended, blueGreenWalk, useManualSandbox } from './support/blue-green-walk';

// PAUSE lifecycle hooks of a BLUE_GREEN deployment, on the manual clock: answered, rolled back, timed out.
const sandbox = useManualSandbox();
const { latest, walk, share, steady, deploy, liveTasks } = blueGreenWalk(sandbox);

describe('PAUSE hooks', () => {
  const pauseAt = (stage: string, timeoutConfiguration?: { timeoutInMinutes: number; action?: 'CONTINUE' | 'ROLLBACK' }) => ({
    lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: [stage as 'POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration }],
  });
  const paused = (sd: ServiceDeployment) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' || ended(sd);
  const cont = (sd: ServiceDeployment, action: 'CONTINUE' | 'ROLLBACK', hookId = sd.lifecycleHookDetails?.[0]?.hookId as string) =>
    ecsClient(sandbox).send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn, hookId, action }));

  test('wait at their stage AWAITING_ACTION until ContinueServiceDeployment CONTINUE; a second answer is refused', async () => {
    const { bg, v2 } = await steady('pause', pauseAt('POST_TEST_TRAFFIC_SHIFT'));
    await deploy(bg, v2);
    let { sd } = await walk(bg, paused);
    const hookId = sd.lifecycleHookDetails?.[0]?.hookId as string;
    expect(sd.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(sd.lifecycleHookDetails).toEqual([
      {
        hookId: expect.stringMatching(/^ecs-pause-/),
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAt: expect.any(Date),
        timeoutAction: 'ROLLBACK',
      },
    ]);
    await sandbox.advance(10 * 60_000);
    expect((await latest(bg)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');

    await cont(sd, 'CONTINUE');
    const again = cont(sd, 'CONTINUE');
    await expect(again).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(again).rejects.toThrow(/is SUCCEEDED, not AWAITING_ACTION/);
    await expect(cont(sd, 'CONTINUE', 'ecs-pause-unknown')).rejects.toThrow(/has no lifecycle hook ecs-pause-unknown/);
    ({ sd } = await walk(bg, ended));
    expect(sd.status).toBe('SUCCESSFUL');
    await expect(cont(sd, 'CONTINUE', hookId)).rejects.toThrow(/is SUCCESSFUL: only an IN_PROGRESS deployment/);
  });

  test('ContinueServiceDeployment ROLLBACK rolls back by traffic', async () => {
    const { bg, v2 } = await steady('pause-rollback', pauseAt('POST_TEST_TRAFFIC_SHIFT'));
    await deploy(bg, v2);
    let { sd } = await walk(bg, paused);
    await cont(sd, 'ROLLBACK');
    expect(await share(bg.testRuleArn, bg.alternateTargetGroupArn)).toBe(100);
    ({ sd } = await walk(bg, ended));
    expect(sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'Rollback requested with ContinueServiceDeployment.' } });
    expect(await liveTasks(bg)).toBe(2);
  });

  test('a pause that times out rolls back by default, on the sandbox clock', async () => {
    const { bg, v2 } = await steady('pause-timeout', pauseAt('POST_SCALE_UP', { timeoutInMinutes: 30 }));
    await deploy(bg, v2);
    const { sd: waiting } = await walk(bg, paused);
    // expiresAt: the stage's start (a few sandbox seconds after the deployment's) plus the timeout.
    const expiresIn = Number(waiting.lifecycleHookDetails?.[0]?.expiresAt) - Number(waiting.startedAt);
    expect(expiresIn).toBeGreaterThanOrEqual(30 * 60_000);
    expect(expiresIn).toBeLessThan(31 * 60_000);
    await sandbox.advance(29 * 60_000);
    expect((await latest(bg)).lifecycleHookDetails?.[0]?.status).toBe('AWAITING_ACTION');
    await sandbox.advance(60_000 + PASS_MS);
    const { sd } = await walk(bg, ended);
    expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd.statusReason).toMatch(/timed out/);
    expect(sd.lifecycleHookDetails?.map((run) => run.status)).toEqual(['TIMED_OUT']);
  });

  test('a pause with timeout action CONTINUE goes on when it times out', async () => {
    const { bg, v2 } = await steady('pause-continue', pauseAt('PRE_SCALE_UP', { timeoutInMinutes: 1, action: 'CONTINUE' }));
    await deploy(bg, v2);
    await walk(bg, paused);
    const { sd } = await walk(bg, ended);
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.lifecycleHookDetails).toEqual([]);
  });
});
