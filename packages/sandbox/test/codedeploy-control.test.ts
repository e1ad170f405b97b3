import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ContinueDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentIsNotInReadyStateException,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, type CodeDeployService } from '../../../test/support/codedeploy';
import { describeService } from './support/harness';
import {
  createCodeDeployDeployment,
  eventStatus,
  finished,
  forwardWeights,
  observe,
  refusalOf,
  steadyCodeDeployService,
  STEP_MS,
  walk,
  type Observation,
} from './support/codedeploy-walk';

// The ready gate, stops and rollbacks, traffic in steps and a crashing replacement, on the manual clock.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const codedeploy = () => codeDeployClient(sandbox);

const terminationWait = (o: Observation) => o.target.status === 'Succeeded' || finished(o);

const readyGate = (waitTimeInMinutes: number) => ({
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes: 5 },
  },
});

describe('deploymentReadyOption STOP_DEPLOYMENT', () => {
  test('holds the deployment Ready, test traffic on the replacement, until ContinueDeployment READY_WAIT', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'gate', readyGate(60));
    const id = await createCodeDeployDeployment(sandbox, cd, v2);
    const ready = await walk(sandbox, cd, id, (o) => o.info.status === 'Ready' || finished(o));
    expect(ready.info).toMatchObject({ status: 'Ready', deploymentOverview: { Ready: 1, InProgress: 0 } });
    expect(ready.target.status).toBe('Ready');
    expect(eventStatus(ready, 'AfterAllowTestTraffic')).toBe('Succeeded');
    expect(eventStatus(ready, 'BeforeAllowTraffic')).toBe('Pending');
    expect(await forwardWeights(sandbox, cd.testListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    // It waits: half an hour later it is still Ready.
    await sandbox.advance(30 * 60_000);
    expect((await observe(sandbox, cd, id)).info.status).toBe('Ready');
    expect(
      await refusalOf(codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }))),
    ).toBeInstanceOf(DeploymentIsNotInReadyStateException);

    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
    expect((await observe(sandbox, cd, id)).info.status).toBe('InProgress');
    const rerouted = await walk(sandbox, cd, id, terminationWait);
    expect(rerouted.info.status).toBe('InProgress');
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
    expect(await refusalOf(codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id })))).toBeInstanceOf(
      DeploymentIsNotInReadyStateException,
    );

    // TERMINATION_WAIT ends the original task set's retention at once (the group keeps it 5 minutes).
    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }));
    await sandbox.advance(STEP_MS);
    expect((await observe(sandbox, cd, id)).info.status).toBe('Succeeded');
    expect(await refusalOf(codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id })))).toBeInstanceOf(
      DeploymentAlreadyCompletedException,
    );
  });

  test('stops the deployment when nobody continues it within waitTimeInMinutes, the replacement removed', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'gatetimeout', readyGate(10));
    const id = await createCodeDeployDeployment(sandbox, cd, v2);
    await walk(sandbox, cd, id, (o) => o.info.status === 'Ready' || finished(o));
    await sandbox.advance(9 * 60_000);
    expect((await observe(sandbox, cd, id)).info.status).toBe('Ready');
    const stopped = await walk(sandbox, cd, id, finished);
    expect(stopped.info.status).toBe('Stopped');
    expect(stopped.info.errorInformation?.code).toBe('TIMEOUT');
    await sandbox.advance(STEP_MS);
    expect(await forwardWeights(sandbox, cd.testListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    expect((await describeService(sandbox, cd.cluster, cd.service)).taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([
      ['PRIMARY', cd.taskDefinitionArn],
    ]);
  });
});

describe('StopDeployment', () => {
  test('with autoRollbackEnabled, after production moved: a rollback deployment moves it back to the original task set', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'stop');
    const id = await createCodeDeployDeployment(sandbox, cd, v2);
    await walk(sandbox, cd, id, terminationWait);
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });

    const answer = await codedeploy().send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    expect(answer.status).toBe('Pending');
    const stopped = await walk(sandbox, cd, id, finished);
    expect(stopped.info.status).toBe('Stopped');
    const rollbackId = stopped.info.rollbackInfo?.rollbackDeploymentId as string;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);

    const rollback = await walk(sandbox, cd, rollbackId, finished);
    expect(rollback.info).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: id },
    });
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    await sandbox.advance(10_000);
    const service = await describeService(sandbox, cd.cluster, cd.service);
    expect(service.taskDefinition).toBe(cd.taskDefinitionArn);
    expect(service.taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', cd.taskDefinitionArn]]);
    expect(service.runningCount).toBe(2);
    expect(await refusalOf(codedeploy().send(new StopDeploymentCommand({ deploymentId: id })))).toBeInstanceOf(
      DeploymentAlreadyCompletedException,
    );
  });
});

describe("a rollback deployment's revision", () => {
  const rollBackAfterRerouting = async (cd: CodeDeployService, taskDefinition: string) => {
    const id = await createCodeDeployDeployment(sandbox, cd, taskDefinition);
    await walk(sandbox, cd, id, terminationWait);
    await codedeploy().send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    const stopped = await walk(sandbox, cd, id, finished);
    return observe(sandbox, cd, stopped.info.rollbackInfo?.rollbackDeploymentId as string);
  };

  test("is the group's last known good one: the revision of its last successful deployment", async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'lastgood');
    const good = await createCodeDeployDeployment(sandbox, cd, v2);
    await walk(sandbox, cd, good, terminationWait);
    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: good, deploymentWaitType: 'TERMINATION_WAIT' }));
    const succeeded = await walk(sandbox, cd, good, finished);
    expect(succeeded.info.status).toBe('Succeeded');
    const v3 = await registerRevision(sandbox, cd, 'v3');

    const rollback = await rollBackAfterRerouting(cd, v3);

    expect(rollback.info.revision).toEqual(succeeded.info.revision);
  });

  test('is none when the group never had a successful deployment (the first revision came from CreateService)', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'nolastgood');

    const rollback = await rollBackAfterRerouting(cd, v2);

    expect(rollback.info).toMatchObject({ creator: 'codeDeployRollback' });
    expect(rollback.info.revision).toBeUndefined();
  });
});

describe('traffic in steps', () => {
  test('CodeDeployDefault.ECSCanary10Percent5Minutes: 10% to the replacement, the rest five minutes later', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'canary');
    const id = await createCodeDeployDeployment(sandbox, cd, v2, 'CodeDeployDefault.ECSCanary10Percent5Minutes');
    const shifting = await walk(sandbox, cd, id, (o) => eventStatus(o, 'AllowTraffic') === 'InProgress' || finished(o));
    expect(shifting.info.deploymentConfigName).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({
      [cd.blueTargetGroupArn]: 900,
      [cd.greenTargetGroupArn]: 100,
    });
    expect(shifting.target.taskSetsInfo?.map((t) => [t.taskSetLabel, t.trafficWeight])).toEqual([
      ['Blue', 90],
      ['Green', 10],
    ]);
    await sandbox.advance(4 * 60_000);
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({
      [cd.blueTargetGroupArn]: 900,
      [cd.greenTargetGroupArn]: 100,
    });
    const shifted = await walk(sandbox, cd, id, terminationWait);
    expect(shifted.info.status).toBe('InProgress');
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
  });

  test('CodeDeployDefault.ECSLinear10PercentEvery1Minutes: 10% more every minute', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'linear');
    const id = await createCodeDeployDeployment(sandbox, cd, v2, 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes');
    await walk(sandbox, cd, id, (o) => eventStatus(o, 'AllowTraffic') === 'InProgress' || finished(o));
    const seen: number[] = [];
    await walk(
      sandbox,
      cd,
      id,
      (o) => {
        const green = o.target.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight ?? 0;
        if (seen.at(-1) !== green) seen.push(green);
        return terminationWait(o);
      },
      30 * 60_000,
      5_000,
    );
    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe('a replacement task set whose tasks crash', () => {
  test('fails the deployment with ECS_UPDATE_ERROR at Install and rolls back (the group rolls back on DEPLOYMENT_FAILURE)', async () => {
    const { cd } = await steadyCodeDeployService(sandbox, 'crash');
    sandbox.script(/:crash$/, { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 100 });
    const crashing = await registerRevision(sandbox, cd, 'crash');
    const id = await createCodeDeployDeployment(sandbox, cd, crashing);
    const failed = await walk(sandbox, cd, id, finished);
    expect(failed.info.status).toBe('Failed');
    expect(failed.info.errorInformation?.code).toBe('ECS_UPDATE_ERROR');
    expect(eventStatus(failed, 'Install')).toBe('Failed');
    expect(eventStatus(failed, 'AllowTraffic')).toBe('Skipped');
    const rollbackId = failed.info.rollbackInfo?.rollbackDeploymentId as string;
    expect((await walk(sandbox, cd, rollbackId, finished)).info.status).toBe('Succeeded');
    await sandbox.advance(10_000);
    expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    expect((await describeService(sandbox, cd.cluster, cd.service)).taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([
      ['PRIMARY', cd.taskDefinitionArn],
    ]);
  });
});
