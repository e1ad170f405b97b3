import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentIsNotInReadyStateException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../../../test/support/codedeploy';
import { describeService, elbClient } from './support/harness';

// The ready gate, stops and rollbacks, traffic in steps and a crashing replacement, on the manual clock.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const STEP_MS = 500;
const codedeploy = () => codeDeployClient(sandbox);

function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

async function deploy(cd: CodeDeployService, taskDefinition: string, deploymentConfigName?: string): Promise<string> {
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: taskDefinition, LoadBalancerInfo: { ContainerName: cd.containerName, ContainerPort: 8080 } },
        },
      },
    ],
  });
  const sha256 = createHash('sha256').update(content).digest('hex');
  const created = await codedeploy().send(
    new CreateDeploymentCommand({
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      deploymentConfigName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } },
    }),
  );
  return created.deploymentId as string;
}

interface Observation {
  info: DeploymentInfo;
  target: ECSTarget;
}

async function observe(cd: CodeDeployService, deploymentId: string): Promise<Observation> {
  const info = (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = (await codedeploy().send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })))
    .deploymentTarget?.ecsTarget as ECSTarget;
  return { info, target };
}

async function walk(
  cd: CodeDeployService,
  deploymentId: string,
  until: (o: Observation) => boolean,
  stepMs = STEP_MS,
): Promise<Observation> {
  const maxMs = 30 * 60_000;
  for (let elapsed = 0; ; elapsed += stepMs) {
    const o = await observe(cd, deploymentId);
    if (until(o)) return o;
    if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(o)}`);
    await sandbox.advance(stepMs);
  }
}

const finished = (o: Observation) => ['Succeeded', 'Failed', 'Stopped'].includes(o.info.status as string);
const terminationWait = (o: Observation) => o.target.status === 'Succeeded' || finished(o);
const eventStatus = (o: Observation, name: string) => o.target.lifecycleEvents?.find((e) => e.lifecycleEventName === name)?.status;

async function weights(listenerArn: string): Promise<Record<string, number>> {
  const listeners = (await elbClient(sandbox).send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners ?? [];
  const groups = listeners[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return Object.fromEntries(groups.filter((g) => (g.Weight ?? 1) > 0).map((g) => [g.TargetGroupArn as string, g.Weight ?? 1]));
}

async function steadyService(name: string, group: Parameters<typeof createCodeDeployService>[1]['group'] = {}) {
  const cd = await createCodeDeployService(sandbox, { service: name, group });
  await sandbox.advance(45_000);
  const v2 = await registerRevision(sandbox, cd, 'v2');
  return { cd, v2 };
}

const readyGate = (waitTimeInMinutes: number) => ({
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes: 5 },
  },
});

describe('deploymentReadyOption STOP_DEPLOYMENT', () => {
  test('holds the deployment Ready, test traffic on the replacement, until ContinueDeployment READY_WAIT', async () => {
    const { cd, v2 } = await steadyService('gate', readyGate(60));
    const id = await deploy(cd, v2);
    const ready = await walk(cd, id, (o) => o.info.status === 'Ready' || finished(o));
    expect(ready.info).toMatchObject({ status: 'Ready', deploymentOverview: { Ready: 1, InProgress: 0 } });
    expect(ready.target.status).toBe('Ready');
    expect(eventStatus(ready, 'AfterAllowTestTraffic')).toBe('Succeeded');
    expect(eventStatus(ready, 'BeforeAllowTraffic')).toBe('Pending');
    expect(await weights(cd.testListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    // It waits: half an hour later it is still Ready.
    await sandbox.advance(30 * 60_000);
    expect((await observe(cd, id)).info.status).toBe('Ready');
    expect(
      await refusalOf(codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }))),
    ).toBeInstanceOf(DeploymentIsNotInReadyStateException);

    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
    expect((await observe(cd, id)).info.status).toBe('InProgress');
    const rerouted = await walk(cd, id, terminationWait);
    expect(rerouted.info.status).toBe('InProgress');
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
    expect(await refusalOf(codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id })))).toBeInstanceOf(
      DeploymentIsNotInReadyStateException,
    );

    // TERMINATION_WAIT ends the original task set's retention at once (the group keeps it 5 minutes).
    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }));
    await sandbox.advance(STEP_MS);
    expect((await observe(cd, id)).info.status).toBe('Succeeded');
    expect(await refusalOf(codedeploy().send(new ContinueDeploymentCommand({ deploymentId: id })))).toBeInstanceOf(
      DeploymentAlreadyCompletedException,
    );
  });

  test('stops the deployment when nobody continues it within waitTimeInMinutes, the replacement removed', async () => {
    const { cd, v2 } = await steadyService('gatetimeout', readyGate(10));
    const id = await deploy(cd, v2);
    await walk(cd, id, (o) => o.info.status === 'Ready' || finished(o));
    await sandbox.advance(9 * 60_000);
    expect((await observe(cd, id)).info.status).toBe('Ready');
    const stopped = await walk(cd, id, finished);
    expect(stopped.info.status).toBe('Stopped');
    expect(stopped.info.errorInformation?.code).toBe('TIMEOUT');
    await sandbox.advance(STEP_MS);
    expect(await weights(cd.testListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    expect((await describeService(sandbox, cd.cluster, cd.service)).taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([
      ['PRIMARY', cd.taskDefinitionArn],
    ]);
  });
});

describe('StopDeployment', () => {
  test('with autoRollbackEnabled, after production moved: a rollback deployment moves it back to the original task set', async () => {
    const { cd, v2 } = await steadyService('stop');
    const id = await deploy(cd, v2);
    await walk(cd, id, terminationWait);
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });

    const answer = await codedeploy().send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    expect(answer.status).toBe('Pending');
    const stopped = await walk(cd, id, finished);
    expect(stopped.info.status).toBe('Stopped');
    const rollbackId = stopped.info.rollbackInfo?.rollbackDeploymentId as string;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);

    const rollback = await walk(cd, rollbackId, finished);
    expect(rollback.info).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: id },
    });
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
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
    const id = await deploy(cd, taskDefinition);
    await walk(cd, id, terminationWait);
    await codedeploy().send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    const stopped = await walk(cd, id, finished);
    return observe(cd, stopped.info.rollbackInfo?.rollbackDeploymentId as string);
  };

  test("is the group's last known good one: the revision of its last successful deployment", async () => {
    const { cd, v2 } = await steadyService('lastgood');
    const good = await deploy(cd, v2);
    await walk(cd, good, terminationWait);
    await codedeploy().send(new ContinueDeploymentCommand({ deploymentId: good, deploymentWaitType: 'TERMINATION_WAIT' }));
    const succeeded = await walk(cd, good, finished);
    expect(succeeded.info.status).toBe('Succeeded');
    const v3 = await registerRevision(sandbox, cd, 'v3');

    const rollback = await rollBackAfterRerouting(cd, v3);

    expect(rollback.info.revision).toEqual(succeeded.info.revision);
  });

  test('is none when the group never had a successful deployment (the first revision came from CreateService)', async () => {
    const { cd, v2 } = await steadyService('nolastgood');

    const rollback = await rollBackAfterRerouting(cd, v2);

    expect(rollback.info).toMatchObject({ creator: 'codeDeployRollback' });
    expect(rollback.info.revision).toBeUndefined();
  });
});

describe('traffic in steps', () => {
  test('CodeDeployDefault.ECSCanary10Percent5Minutes: 10% to the replacement, the rest five minutes later', async () => {
    const { cd, v2 } = await steadyService('canary');
    const id = await deploy(cd, v2, 'CodeDeployDefault.ECSCanary10Percent5Minutes');
    const shifting = await walk(cd, id, (o) => eventStatus(o, 'AllowTraffic') === 'InProgress' || finished(o));
    expect(shifting.info.deploymentConfigName).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 900, [cd.greenTargetGroupArn]: 100 });
    expect(shifting.target.taskSetsInfo?.map((t) => [t.taskSetLabel, t.trafficWeight])).toEqual([
      ['Blue', 90],
      ['Green', 10],
    ]);
    await sandbox.advance(4 * 60_000);
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 900, [cd.greenTargetGroupArn]: 100 });
    const shifted = await walk(cd, id, terminationWait);
    expect(shifted.info.status).toBe('InProgress');
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
  });

  test('CodeDeployDefault.ECSLinear10PercentEvery1Minutes: 10% more every minute', async () => {
    const { cd, v2 } = await steadyService('linear');
    const id = await deploy(cd, v2, 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes');
    await walk(cd, id, (o) => eventStatus(o, 'AllowTraffic') === 'InProgress' || finished(o));
    const seen: number[] = [];
    await walk(
      cd,
      id,
      (o) => {
        const green = o.target.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight ?? 0;
        if (seen.at(-1) !== green) seen.push(green);
        return terminationWait(o);
      },
      5_000,
    );
    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe('a replacement task set whose tasks crash', () => {
  test('fails the deployment with ECS_UPDATE_ERROR at Install and rolls back (the group rolls back on DEPLOYMENT_FAILURE)', async () => {
    const { cd } = await steadyService('crash');
    sandbox.script(/:crash$/, { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 100 });
    const crashing = await registerRevision(sandbox, cd, 'crash');
    const id = await deploy(cd, crashing);
    const failed = await walk(cd, id, finished);
    expect(failed.info.status).toBe('Failed');
    expect(failed.info.errorInformation?.code).toBe('ECS_UPDATE_ERROR');
    expect(eventStatus(failed, 'Install')).toBe('Failed');
    expect(eventStatus(failed, 'AllowTraffic')).toBe('Skipped');
    const rollbackId = failed.info.rollbackInfo?.rollbackDeploymentId as string;
    expect((await walk(cd, rollbackId, finished)).info.status).toBe('Succeeded');
    await sandbox.advance(10_000);
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
    expect((await describeService(sandbox, cd.cluster, cd.service)).taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([
      ['PRIMARY', cd.taskDefinitionArn],
    ]);
  });
});
