import { describe, expect, test } from '@jest/globals';
import type { DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import { judgeCodeDeployDeployment } from '../../src/deployment/codedeploy/verdict';
import { codeDeployWaitMs, trafficShiftMinutes } from '../../src/deployment/codedeploy/wait-time';

const read = (deployment: DeploymentInfo, target?: ECSTarget) => ({ deploymentId: 'd-A1B2C3D4E', deployment, target });
const hookFailed: ECSTarget = {
  status: 'Failed',
  lifecycleEvents: [
    {
      lifecycleEventName: 'AfterAllowTestTraffic',
      status: 'Failed',
      diagnostics: { errorCode: 'UnknownError', message: 'smoke test: 500 on /' },
    },
  ],
};

describe('judgeCodeDeployDeployment', () => {
  test('Succeeded is the end', () => {
    expect(judgeCodeDeployDeployment(read({ status: 'Succeeded' }))).toEqual({ state: 'succeeded' });
  });

  test('Failed with a rollback named is rolled-back, with the error, the failed event and its own diagnostics', () => {
    const verdict = judgeCodeDeployDeployment(
      read(
        {
          status: 'Failed',
          errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'The AfterAllowTestTraffic hook reported Failed.' },
          rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01' },
        },
        hookFailed,
      ),
    );
    expect(verdict).toEqual({
      state: 'rolled-back',
      cause: 'lifecycle-hook',
      rollbackDeploymentId: 'd-ROLLBACK01',
      reason:
        "CodeDeploy ended it Failed at lifecycle event AfterAllowTestTraffic (HOOK_EXECUTION_FAILURE: The AfterAllowTestTraffic hook reported Failed.); the event's diagnostics: UnknownError: smoke test: 500 on /",
    });
  });

  test('Stopped without a rollback is a failure; a rollback deployment watched on purpose is not called rolled-back', () => {
    expect(judgeCodeDeployDeployment(read({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } }))).toMatchObject({
      state: 'failed',
      cause: 'rollback-requested',
      reason: 'CodeDeploy ended it Stopped (MANUAL_STOP)',
    });
    expect(
      judgeCodeDeployDeployment(read({ status: 'Failed', rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01' } }), { expect: 'rollback' }),
    ).toMatchObject({ state: 'failed' });
  });

  test('Ready ends the watch only for wait-until paused; the termination wait only for bake', () => {
    const rerouted: ECSTarget = {
      status: 'Succeeded',
      lifecycleEvents: [{ lifecycleEventName: 'AfterAllowTraffic', status: 'Succeeded' }],
    };
    expect(judgeCodeDeployDeployment(read({ status: 'Ready' }), { waitUntil: 'paused' })).toEqual({ state: 'paused' });
    expect(judgeCodeDeployDeployment(read({ status: 'Ready' }), { waitUntil: 'complete' })).toEqual({ state: 'in-progress' });
    expect(judgeCodeDeployDeployment(read({ status: 'InProgress' }, rerouted), { waitUntil: 'bake' })).toEqual({ state: 'baking' });
    expect(judgeCodeDeployDeployment(read({ status: 'InProgress' }, rerouted), { waitUntil: 'complete' })).toEqual({
      state: 'in-progress',
    });
  });

  test('a status this suite does not know goes on', () => {
    expect(judgeCodeDeployDeployment(read({ status: 'Pondering' as DeploymentInfo['status'] }))).toEqual({ state: 'in-progress' });
  });
});

describe('codeDeployWaitMs', () => {
  const group = {
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 20 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes: 60 },
    },
  };

  test('the predefined configurations shift traffic for their intervals', () => {
    expect(trafficShiftMinutes('CodeDeployDefault.ECSAllAtOnce')).toBe(0);
    expect(trafficShiftMinutes('CodeDeployDefault.ECSCanary10Percent5Minutes')).toBe(5);
    expect(trafficShiftMinutes('CodeDeployDefault.ECSLinear10PercentEvery3Minutes')).toBe(27);
    expect(trafficShiftMinutes('CodeDeployDefault.ECSLinear10PercentEvery1Minutes')).toBe(9);
    expect(trafficShiftMinutes('MyCustomConfig')).toBe(0);
  });

  test('complete waits for the ready wait, the shift and the termination wait; bake without the termination wait; paused for none', () => {
    const canary = 'CodeDeployDefault.ECSCanary10Percent15Minutes';
    expect(codeDeployWaitMs(group, canary, 'complete')).toBe((20 + 15 + 60) * 60_000);
    expect(codeDeployWaitMs(group, canary, 'bake')).toBe((20 + 15) * 60_000);
    expect(codeDeployWaitMs(group, canary, 'paused')).toBe(0);
  });
});
