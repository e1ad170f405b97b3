import { describe, expect, it } from '@jest/globals';
import type { DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import { awaitsReadyWait, terminationWaitBegun, taskSetLabelled, failedLifecycleEvent } from '../../src/codedeploy/stages';
import { codeDeployDeploymentIdInput, isCodeDeployDeploymentId } from '../../src/codedeploy/deployment-id';
import { ecsTargetId } from '../../src/codedeploy/target';

const read = (deployment: DeploymentInfo, target?: ECSTarget) => ({ deploymentId: 'd-A1B2C3D4E', deployment, target });
const rerouted: ECSTarget = {
  status: 'Succeeded',
  lifecycleEvents: [
    { lifecycleEventName: 'AllowTraffic', status: 'Succeeded' },
    { lifecycleEventName: 'AfterAllowTraffic', status: 'Succeeded' },
  ],
};

describe('CodeDeploy stages', () => {
  it('sees the termination wait from the target when the deployment flag stays false', () => {
    expect(terminationWaitBegun(read({ status: 'InProgress', instanceTerminationWaitTimeStarted: false }, rerouted))).toBe(true);
  });

  it('does not see the termination wait before AfterAllowTraffic is done', () => {
    const target: ECSTarget = {
      status: 'InProgress',
      lifecycleEvents: [{ lifecycleEventName: 'AfterAllowTraffic', status: 'InProgress' }],
    };
    expect(terminationWaitBegun(read({ status: 'InProgress' }, target))).toBe(false);
  });

  it('takes the deployment flag when CodeDeploy sets it', () => {
    expect(terminationWaitBegun(read({ status: 'InProgress', instanceTerminationWaitTimeStarted: true }))).toBe(true);
  });

  it('never calls a finished deployment waiting for termination', () => {
    expect(terminationWaitBegun(read({ status: 'Succeeded' }, rerouted))).toBe(false);
  });

  it('calls a Ready deployment waiting for READY_WAIT, and only that', () => {
    expect(awaitsReadyWait(read({ status: 'Ready' }))).toBe(true);
    expect(awaitsReadyWait(read({ status: 'InProgress' }))).toBe(false);
  });

  it('finds the task sets by label and the failed event', () => {
    const target: ECSTarget = {
      taskSetsInfo: [
        { identifer: 'ecs-svc/1', taskSetLabel: 'Blue', trafficWeight: 90 },
        { identifer: 'ecs-svc/2', taskSetLabel: 'Green', trafficWeight: 10 },
      ],
      lifecycleEvents: [
        { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
        { lifecycleEventName: 'AfterInstall', status: 'Failed' },
      ],
    };
    expect(taskSetLabelled(target, 'Green')?.identifer).toBe('ecs-svc/2');
    expect(failedLifecycleEvent(target)?.lifecycleEventName).toBe('AfterInstall');
  });
});

describe('CodeDeploy names', () => {
  it('names the ECS target by cluster and service names, also from ARNs', () => {
    expect(ecsTargetId('arn:aws:ecs:eu-west-1:123456789012:cluster/prod', 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web')).toBe(
      'prod:web',
    );
    expect(ecsTargetId('prod', 'web')).toBe('prod:web');
  });

  it('accepts a deployment id and refuses a typo naming the input', () => {
    expect(isCodeDeployDeploymentId('d-A1B2C3D4E')).toBe(true);
    expect(codeDeployDeploymentIdInput('continue-deployment', ' d-A1B2C3D4E ')).toBe('d-A1B2C3D4E');
    expect(() => codeDeployDeploymentIdInput('continue-deployment', 'd-a1b2c3d4')).toThrow(/Input 'continue-deployment'.*d-A1B2C3D4E/);
  });
});
