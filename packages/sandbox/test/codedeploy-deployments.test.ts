import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DeploymentLimitExceededException,
  DeploymentTargetDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  InvalidRevisionException,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, type CodeDeployService } from '../../../test/support/codedeploy';
import { describeService, elbClient } from './support/harness';

import {
  appSpecContent,
  createDeployment,
  finished,
  observe,
  refusalOf,
  steadyCodeDeployService,
  STEP_MS,
  type Observation,
} from './support/codedeploy-walk';

// CodeDeploy blue/green deployments of CODE_DEPLOY services, scripted tasks on the manual clock: each test walks
// the deployment pass by pass.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

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

/** Advances in half-second steps until `until` holds, collecting the deployment statuses and the events seen in progress. */
async function walk(cd: CodeDeployService, deploymentId: string, until: (o: Observation) => boolean, maxMs = 30 * 60_000) {
  const statuses: string[] = [];
  const events: string[] = [];
  for (let elapsed = 0; ; elapsed += STEP_MS) {
    const o = await observe(sandbox, cd, deploymentId);
    if (statuses.at(-1) !== o.info.status) statuses.push(o.info.status as string);
    const running = o.target.lifecycleEvents?.find((e) => e.status === 'InProgress')?.lifecycleEventName;
    if (running && events.at(-1) !== running) events.push(running);
    if (until(o)) return { ...o, statuses, events };
    if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(o)}`);
    await sandbox.advance(STEP_MS);
  }
}

/** The production or test listener's forward weights by target group. */
async function weights(listenerArn: string): Promise<Record<string, number>> {
  const listeners = (await elbClient(sandbox).send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners ?? [];
  const groups = listeners[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return Object.fromEntries(groups.map((g) => [g.TargetGroupArn as string, g.Weight as number]));
}

describe('an all-at-once deployment (CodeDeployDefault.ECSAllAtOnce)', () => {
  let cd: CodeDeployService;
  let v2: string;
  let deploymentId: string;
  beforeAll(async () => {
    ({ cd, v2 } = await steadyCodeDeployService(sandbox, 'aao'));
    deploymentId = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  });

  test('walks the lifecycle events in order to the termination wait, production on the replacement task set', async () => {
    expect((await observe(sandbox, cd, deploymentId)).info.status).toBe('Created');
    const wait = await walk(cd, deploymentId, (o) => o.target.status === 'Succeeded' || finished(o));
    expect(wait.statuses).toEqual(['Created', 'InProgress']);
    expect(wait.events).toEqual(EVENTS);
    expect(wait.target.lifecycleEvents?.map((e) => [e.lifecycleEventName, e.status])).toEqual(EVENTS.map((e) => [e, 'Succeeded']));
    // The deployment stays InProgress while the original task set is kept (aws/containers-roadmap#269).
    expect(wait.info).toMatchObject({
      status: 'InProgress',
      instanceTerminationWaitTimeStarted: true,
      deploymentOverview: { InProgress: 0, Succeeded: 1 },
      computePlatform: 'ECS',
    });
    const [blue, green] = wait.target.taskSetsInfo ?? [];
    expect(blue).toMatchObject({ taskSetLabel: 'Blue', trafficWeight: 0, status: 'ACTIVE', targetGroup: { name: cd.blueTargetGroupName } });
    expect(green).toMatchObject({
      taskSetLabel: 'Green',
      trafficWeight: 100,
      status: 'PRIMARY',
      desiredCount: 2,
      runningCount: 2,
      targetGroup: { name: cd.greenTargetGroupName },
    });
    expect(green.identifer).toMatch(/^ecs-svc\//);
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 0, [cd.greenTargetGroupArn]: 1 });
    expect(await weights(cd.testListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 0, [cd.greenTargetGroupArn]: 1 });

    const service = await describeService(sandbox, cd.cluster, cd.service);
    expect(service.taskDefinition).toBe(v2);
    expect(service.taskSets?.map((t) => [t.status, t.taskDefinition, t.externalId])).toEqual([
      ['ACTIVE', cd.taskDefinitionArn, undefined],
      ['PRIMARY', v2, deploymentId],
    ]);
    expect(service.taskSets?.[1]).toMatchObject({ id: green.identifer, startedBy: 'CodeDeploy' });
  });

  test('ends Succeeded once the termination wait is over and the original task set is gone', async () => {
    const before = await observe(sandbox, cd, deploymentId);
    await sandbox.advance(4 * 60_000);
    expect((await observe(sandbox, cd, deploymentId)).info.status).toBe('InProgress');
    const done = await walk(cd, deploymentId, finished);
    expect(done.info.status).toBe('Succeeded');
    expect(done.info.completeTime?.getTime()).toBeGreaterThanOrEqual((before.target.lastUpdatedAt as Date).getTime() + 5 * 60_000);
    await sandbox.advance(10_000);
    const service = await describeService(sandbox, cd.cluster, cd.service);
    expect(service.taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', v2]]);
    expect(service.runningCount).toBe(2);
    expect(done.target.taskSetsInfo?.map((t) => t.taskSetLabel)).toEqual(['Green']);
  });

  test('is listed for its group, with its one target', async () => {
    const codedeploy = codeDeployClient(sandbox);
    const listed = await codedeploy.send(
      new ListDeploymentsCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
    );
    expect(listed.deployments).toEqual([deploymentId]);
    const succeeded = await codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: cd.applicationName,
        deploymentGroupName: cd.deploymentGroupName,
        includeOnlyStatuses: ['Failed'],
      }),
    );
    expect(succeeded.deployments).toEqual([]);
    expect((await codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds).toEqual([`${cd.cluster}:${cd.service}`]);
    const wrong = await refusalOf(codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:other` })));
    expect(wrong).toBeInstanceOf(DeploymentTargetDoesNotExistException);
  });

  test('GetDeployment is authorized on the deployment group, GetDeploymentTarget (no resource type) on *', async () => {
    const group = `arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:${cd.applicationName}/${cd.deploymentGroupName}`;
    try {
      sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: ['codedeploy:GetDeployment'], Resource: group }] });
      expect((await codeDeployClient(sandbox, 1).send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.deploymentId).toBe(
        deploymentId,
      );
      const denied = await refusalOf(
        codeDeployClient(sandbox, 1).send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })),
      );
      expect(denied.message).toContain('codedeploy:GetDeploymentTarget on resource: *');
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });

  test('a YAML AppSpec deploys the same way, from the side that now serves production', async () => {
    const v3 = await registerRevision(sandbox, cd, 'v3');
    const yaml = `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: "${v3}"\n        LoadBalancerInfo:\n          ContainerName: "${cd.containerName}"\n          ContainerPort: 8080\n`;
    const id = await createDeployment(sandbox, cd, yaml);
    const wait = await walk(cd, id, (o) => o.target.status === 'Succeeded' || finished(o));
    expect(wait.target.taskSetsInfo?.map((t) => [t.taskSetLabel, t.trafficWeight, t.targetGroup?.name])).toEqual([
      ['Blue', 0, cd.greenTargetGroupName],
      ['Green', 100, cd.blueTargetGroupName],
    ]);
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 0, [cd.blueTargetGroupArn]: 1 });
    expect((await walk(cd, id, finished)).info.status).toBe('Succeeded');
  });
});

describe('CreateDeployment refuses', () => {
  let cd: CodeDeployService;
  let v2: string;
  beforeAll(async () => {
    ({ cd, v2 } = await steadyCodeDeployService(sandbox, 'refuse'));
  });

  test('content whose sha256 does not match, and content that is no AppSpec', async () => {
    expect(await refusalOf(createDeployment(sandbox, cd, appSpecContent(cd, v2), {}, '0'.repeat(64)))).toBeInstanceOf(
      InvalidRevisionException,
    );
    expect(await refusalOf(createDeployment(sandbox, cd, '{"version": 0.0}'))).toBeInstanceOf(InvalidRevisionException);
    expect(await refusalOf(createDeployment(sandbox, cd, '{ not: [json'))).toBeInstanceOf(InvalidRevisionException);
  });

  test('a second deployment while one is under way', async () => {
    const first = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
    const second = await refusalOf(createDeployment(sandbox, cd, appSpecContent(cd, v2)));
    expect(second).toBeInstanceOf(DeploymentLimitExceededException);
    expect(second.message).toBe(`The Deployment Group '${cd.deploymentGroupName}' already has an active Deployment '${first}'`);
    await walk(cd, first, finished);
  });
});

describe('a replacement ECS cannot create', () => {
  test('fails the deployment at Install with ECS_UPDATE_ERROR, production left on the original task set', async () => {
    const { cd, v2 } = await steadyCodeDeployService(sandbox, 'badcontainer');
    const id = await createDeployment(sandbox, cd, appSpecContent({ containerName: 'nosuch' }, v2));
    const done = await walk(cd, id, finished);
    expect(done.info.status).toBe('Failed');
    expect(done.info.errorInformation).toEqual({
      code: 'ECS_UPDATE_ERROR',
      message: 'The container nosuch does not exist in the task definition.',
    });
    expect(done.target.status).toBe('Failed');
    expect(done.target.lifecycleEvents?.map((e) => e.status)).toEqual([
      'Succeeded',
      'Failed',
      'Skipped',
      'Skipped',
      'Skipped',
      'Skipped',
      'Skipped',
      'Skipped',
    ]);
    expect(done.target.lifecycleEvents?.[1].diagnostics?.message).toBe('The container nosuch does not exist in the task definition.');
    const service = await describeService(sandbox, cd.cluster, cd.service);
    expect(service.taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', cd.taskDefinitionArn]]);
    expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
  });
});
