import { describe, expect, test } from '@jest/globals';
import type { LifecycleEventStatus } from '@aws-sdk/client-codedeploy';
import { readyWaitState, terminationWaitState, type CodeDeployDeploymentRead } from '../../src/codedeploy';

// Where a CodeDeploy deployment stands for its ready wait and its termination wait, from GetDeployment + GetDeploymentTarget.

const EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];
const STOP_DEPLOYMENT = { deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 30 } };

function read(
  status: string,
  statuses: LifecycleEventStatus[],
  targetStatus = 'InProgress',
  configuration = STOP_DEPLOYMENT,
): CodeDeployDeploymentRead {
  return {
    deploymentId: 'd-A1B2C3D4E',
    deployment: { status: status as never, blueGreenDeploymentConfiguration: configuration },
    target: {
      status: targetStatus as never,
      lifecycleEvents: EVENTS.map((name, index) => ({
        lifecycleEventName: name,
        status: statuses[index] ?? 'Pending',
        ...(statuses[index] === 'Succeeded' ? { endTime: new Date(Date.UTC(2026, 0, 1, 0, index)) } : {}),
      })),
    },
  };
}
const done = (n: number): LifecycleEventStatus[] => Array.from({ length: n }, () => 'Succeeded');

describe('readyWaitState', () => {
  test("Ready awaits, and expires the group's waitTimeInMinutes after AfterAllowTestTraffic ended", () => {
    expect(readyWaitState(read('Ready', done(5), 'Ready'))).toEqual({ kind: 'awaiting', expiresAt: new Date(Date.UTC(2026, 0, 1, 0, 34)) });
  });

  test('InProgress with test traffic on the replacement but BeforeAllowTraffic not started is still before Ready: read again', () => {
    expect(readyWaitState(read('InProgress', done(5)))).toEqual({ kind: 'before-ready', event: undefined });
  });

  test('InProgress at an earlier event is before Ready, naming it', () => {
    expect(readyWaitState(read('InProgress', [...done(1), 'InProgress']))).toEqual({ kind: 'before-ready', event: 'Install' });
  });

  test('a started BeforeAllowTraffic or AllowTraffic is past Ready', () => {
    expect(readyWaitState(read('InProgress', [...done(6), 'InProgress']))).toMatchObject({
      kind: 'past-ready',
      why: expect.stringContaining('AllowTraffic InProgress'),
    });
  });

  test('the termination wait is past Ready', () => {
    expect(readyWaitState(read('InProgress', done(8), 'Succeeded'))).toMatchObject({
      kind: 'past-ready',
      why: expect.stringContaining('termination wait'),
    });
  });

  test('a group with CONTINUE_DEPLOYMENT never waits', () => {
    const continuing = { deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' as const } };
    expect(readyWaitState(read('InProgress', done(2), 'InProgress', continuing as never))).toMatchObject({ kind: 'no-ready-wait' });
  });

  test('Succeeded, Failed and Stopped have ended, with errorInformation', () => {
    const stopped = read('Stopped', done(5), 'Failed');
    stopped.deployment.errorInformation = { code: 'TIMEOUT', message: 'The ready wait timed out.' };
    expect(readyWaitState(stopped)).toEqual({
      kind: 'ended',
      status: 'Stopped',
      why: 'it has ended Stopped (TIMEOUT: The ready wait timed out.)',
    });
    expect(readyWaitState(read('Succeeded', done(8), 'Succeeded'))).toMatchObject({ kind: 'ended', why: 'it has finished (Succeeded)' });
  });

  test('a status this suite does not know is read again, not guessed at', () => {
    expect(readyWaitState(read('Paused', done(3)))).toMatchObject({ kind: 'before-ready' });
  });
});

describe('terminationWaitState', () => {
  test("awaits once production was rerouted and the original is kept, until the group's terminationWaitTimeInMinutes", () => {
    const kept = read('InProgress', done(8), 'Succeeded', {
      ...STOP_DEPLOYMENT,
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
    } as never);
    expect(terminationWaitState(kept)).toEqual({ kind: 'awaiting', expiresAt: new Date(Date.UTC(2026, 0, 1, 1, 7)) });
  });

  test('Ready is before it', () => {
    expect(terminationWaitState(read('Ready', done(5), 'Ready'))).toEqual({ kind: 'before', at: 'Ready' });
  });

  test('Succeeded has no wait left', () => {
    expect(terminationWaitState(read('Succeeded', done(8), 'Succeeded'))).toMatchObject({ kind: 'ended' });
  });
});
