import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
  DeploymentTargetDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  InvalidRevisionException,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../../../test/support/codedeploy';
import { describeService, elbClient } from './support/harness';

// CodeDeploy blue/green deployments of CODE_DEPLOY services, scripted tasks on the manual clock: each test walks
// the deployment pass by pass.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const STEP_MS = 500;
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

function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

function appSpec(cd: CodeDeployService, taskDefinition: string, containerName = cd.containerName): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: taskDefinition, LoadBalancerInfo: { ContainerName: containerName, ContainerPort: 8080 } },
        },
      },
    ],
  });
}

async function deploy(
  cd: CodeDeployService,
  content: string,
  sha256 = createHash('sha256').update(content).digest('hex'),
): Promise<string> {
  const created = await codeDeployClient(sandbox).send(
    new CreateDeploymentCommand({
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
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
  const codedeploy = codeDeployClient(sandbox);
  const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = (await codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })))
    .deploymentTarget?.ecsTarget as ECSTarget;
  return { info, target };
}

/** Advances in half-second steps until `until` holds, collecting the deployment statuses and the events seen in progress. */
async function walk(cd: CodeDeployService, deploymentId: string, until: (o: Observation) => boolean, maxMs = 30 * 60_000) {
  const statuses: string[] = [];
  const events: string[] = [];
  for (let elapsed = 0; ; elapsed += STEP_MS) {
    const o = await observe(cd, deploymentId);
    if (statuses.at(-1) !== o.info.status) statuses.push(o.info.status as string);
    const running = o.target.lifecycleEvents?.find((e) => e.status === 'InProgress')?.lifecycleEventName;
    if (running && events.at(-1) !== running) events.push(running);
    if (until(o)) return { ...o, statuses, events };
    if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(o)}`);
    await sandbox.advance(STEP_MS);
  }
}

const finished = (o: Observation) => ['Succeeded', 'Failed', 'Stopped'].includes(o.info.status as string);

/** The production or test listener's forward weights by target group. */
async function weights(listenerArn: string): Promise<Record<string, number>> {
  const listeners = (await elbClient(sandbox).send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners ?? [];
  const groups = listeners[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return Object.fromEntries(groups.map((g) => [g.TargetGroupArn as string, g.Weight as number]));
}

async function steadyService(name: string) {
  const cd = await createCodeDeployService(sandbox, { service: name });
  await sandbox.advance(45_000);
  const v2 = await registerRevision(sandbox, cd, 'v2');
  return { cd, v2 };
}

describe('an all-at-once deployment (CodeDeployDefault.ECSAllAtOnce)', () => {
  let cd: CodeDeployService;
  let v2: string;
  let deploymentId: string;
  beforeAll(async () => {
    ({ cd, v2 } = await steadyService('aao'));
    deploymentId = await deploy(cd, appSpec(cd, v2));
  });

  test('walks the lifecycle events in order to the termination wait, production on the replacement task set', async () => {
    expect((await observe(cd, deploymentId)).info.status).toBe('Created');
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
    const before = await observe(cd, deploymentId);
    await sandbox.advance(4 * 60_000);
    expect((await observe(cd, deploymentId)).info.status).toBe('InProgress');
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

  test('calls naming the deployment are authorized on its deployment group', async () => {
    const group = `arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:${cd.applicationName}/${cd.deploymentGroupName}`;
    try {
      sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: ['codedeploy:GetDeployment'], Resource: group }] });
      expect((await codeDeployClient(sandbox, 1).send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.deploymentId).toBe(
        deploymentId,
      );
      const denied = await refusalOf(
        codeDeployClient(sandbox, 1).send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })),
      );
      expect(denied.message).toContain(`codedeploy:GetDeploymentTarget on resource: ${group}`);
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });

  test('a YAML AppSpec deploys the same way, from the side that now serves production', async () => {
    const v3 = await registerRevision(sandbox, cd, 'v3');
    const yaml = `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: "${v3}"\n        LoadBalancerInfo:\n          ContainerName: "${cd.containerName}"\n          ContainerPort: 8080\n`;
    const id = await deploy(cd, yaml);
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
    ({ cd, v2 } = await steadyService('refuse'));
  });

  test('content whose sha256 does not match, and content that is no AppSpec', async () => {
    expect(await refusalOf(deploy(cd, appSpec(cd, v2), '0'.repeat(64)))).toBeInstanceOf(InvalidRevisionException);
    expect(await refusalOf(deploy(cd, '{"version": 0.0}'))).toBeInstanceOf(InvalidRevisionException);
    expect(await refusalOf(deploy(cd, '{ not: [json'))).toBeInstanceOf(InvalidRevisionException);
  });

  test('a second deployment while one is under way', async () => {
    const first = await deploy(cd, appSpec(cd, v2));
    expect(await refusalOf(deploy(cd, appSpec(cd, v2)))).toBeInstanceOf(DeploymentLimitExceededException);
    await walk(cd, first, finished);
  });
});

describe('CreateDeployment in IAM', () => {
  test('also needs GetDeploymentConfig on its configuration and GetApplicationRevision or RegisterApplicationRevision on the application', async () => {
    const { cd, v2 } = await steadyService('iamcreate');
    const application = `arn:aws:codedeploy:us-east-1:000000000000:application:${cd.applicationName}`;
    const config = 'arn:aws:codedeploy:us-east-1:000000000000:deploymentconfig:CodeDeployDefault.ECSAllAtOnce';
    const allow = (...actions: string[]) =>
      sandbox.setIamPolicy({ Statement: [{ Effect: 'Allow', Action: ['codedeploy:CreateDeployment', ...actions], Resource: '*' }] });
    const create = () =>
      codeDeployClient(sandbox, 1).send(
        new CreateDeploymentCommand({
          applicationName: cd.applicationName,
          deploymentGroupName: cd.deploymentGroupName,
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: { content: appSpec(cd, v2), sha256: createHash('sha256').update(appSpec(cd, v2)).digest('hex') },
          },
        }),
      );
    try {
      allow('codedeploy:GetApplicationRevision');
      // Without deploymentConfigName the group's configuration is the one authorized.
      expect((await refusalOf(create())).message).toContain(`codedeploy:GetDeploymentConfig on resource: ${config}`);
      allow('codedeploy:GetDeploymentConfig');
      expect((await refusalOf(create())).message).toContain(`codedeploy:GetApplicationRevision on resource: ${application}`);
      allow('codedeploy:GetDeploymentConfig', 'codedeploy:RegisterApplicationRevision');
      const { deploymentId } = await create();
      expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });
});

describe('a replacement ECS cannot create', () => {
  test('fails the deployment at Install with ECS_UPDATE_ERROR, production left on the original task set', async () => {
    const { cd, v2 } = await steadyService('badcontainer');
    const id = await deploy(cd, appSpec(cd, v2, 'nosuch'));
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
