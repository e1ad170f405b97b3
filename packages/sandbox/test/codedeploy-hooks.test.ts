import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  InvalidLifecycleEventHookExecutionIdException,
  InvalidRevisionException,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type CodeDeployHookEvent, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../../../test/support/codedeploy';
import { elbClient } from './support/harness';

// AppSpec hooks: local handlers stand in for the Lambda functions and answer through the SDK, on the manual clock.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const STEP_MS = 500;
const codedeploy = () => codeDeployClient(sandbox);
const hookArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

async function deploy(cd: CodeDeployService, taskDefinition: string, hooks: Array<Record<string, string>>): Promise<string> {
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
    Hooks: hooks,
  });
  const created = await codedeploy().send(
    new CreateDeploymentCommand({
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
    }),
  );
  return created.deploymentId as string;
}

async function observe(cd: CodeDeployService, deploymentId: string) {
  const info = (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = (await codedeploy().send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })))
    .deploymentTarget?.ecsTarget as ECSTarget;
  return { info, target };
}

type Observation = Awaited<ReturnType<typeof observe>>;

async function walk(cd: CodeDeployService, deploymentId: string, until: (o: Observation) => boolean): Promise<Observation> {
  for (let elapsed = 0; ; elapsed += STEP_MS) {
    const o = await observe(cd, deploymentId);
    if (until(o)) return o;
    if (elapsed > 3 * 60 * 60_000) throw new Error(`not reached: ${JSON.stringify(o)}`);
    await sandbox.advance(STEP_MS);
  }
}

const finished = (o: Observation) => ['Succeeded', 'Failed', 'Stopped'].includes(o.info.status as string);
const eventStatus = (o: Observation, name: string) => o.target.lifecycleEvents?.find((e) => e.lifecycleEventName === name)?.status;

async function weights(listenerArn: string): Promise<Record<string, number>> {
  const listeners = (await elbClient(sandbox).send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners ?? [];
  const groups = listeners[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return Object.fromEntries(groups.filter((g) => (g.Weight ?? 1) > 0).map((g) => [g.TargetGroupArn as string, g.Weight ?? 1]));
}

async function steadyService(name: string) {
  const cd = await createCodeDeployService(sandbox, { service: name });
  await sandbox.advance(45_000);
  return { cd, v2: await registerRevision(sandbox, cd, 'v2') };
}

test('a hook holds its event until its function reports Succeeded with PutLifecycleEventHookExecutionStatus', async () => {
  const { cd, v2 } = await steadyService('hookok');
  const received: CodeDeployHookEvent[] = [];
  sandbox.registerCodeDeployHook(hookArn('check-test-traffic'), (event) => void received.push(event));
  const id = await deploy(cd, v2, [{ AfterAllowTestTraffic: hookArn('check-test-traffic') }]);
  const waiting = await walk(cd, id, (o) => eventStatus(o, 'AfterAllowTestTraffic') === 'InProgress' || finished(o));
  await sandbox.advance(10 * 60_000);
  expect(eventStatus(await observe(cd, id), 'AfterAllowTestTraffic')).toBe('InProgress');
  expect(received).toEqual([{ DeploymentId: id, LifecycleEventHookExecutionId: expect.any(String) }]);
  // The hook sees test traffic on the replacement, production still on the original.
  expect(await weights(cd.testListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
  expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
  expect(waiting.info.status).toBe('InProgress');

  const executionId = received[0].LifecycleEventHookExecutionId;
  const answer = await codedeploy().send(
    new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: id, lifecycleEventHookExecutionId: executionId, status: 'Succeeded' }),
  );
  expect(answer.lifecycleEventHookExecutionId).toBe(executionId);
  expect(
    await refusalOf(
      codedeploy().send(
        new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: id, lifecycleEventHookExecutionId: executionId, status: 'Failed' }),
      ),
    ),
  ).toBeInstanceOf(LifecycleEventAlreadyCompletedException);
  expect(
    await refusalOf(
      codedeploy().send(
        new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: id, lifecycleEventHookExecutionId: 'nope', status: 'Succeeded' }),
      ),
    ),
  ).toBeInstanceOf(InvalidLifecycleEventHookExecutionIdException);
  const rerouted = await walk(cd, id, (o) => o.target.status === 'Succeeded' || finished(o));
  expect(eventStatus(rerouted, 'AfterAllowTestTraffic')).toBe('Succeeded');
  expect(await weights(cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
});

test('a hook whose function reports Failed fails the deployment with HOOK_EXECUTION_FAILURE before production moves', async () => {
  const { cd, v2 } = await steadyService('hookfail');
  sandbox.registerCodeDeployHook(hookArn('reject'), async (event) => {
    await codedeploy().send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Failed',
      }),
    );
  });
  const id = await deploy(cd, v2, [{ BeforeAllowTraffic: hookArn('reject') }]);
  const failed = await walk(cd, id, finished);
  expect(failed.info.status).toBe('Failed');
  expect(failed.info.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
  expect(eventStatus(failed, 'BeforeAllowTraffic')).toBe('Failed');
  expect(eventStatus(failed, 'AllowTraffic')).toBe('Skipped');
  expect(await weights(cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
});

test('a hook whose function the sandbox does not know fails its event', async () => {
  const { cd, v2 } = await steadyService('hookmissing');
  const id = await deploy(cd, v2, [{ BeforeInstall: hookArn('missing') }]);
  const failed = await walk(cd, id, finished);
  expect(failed.info.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
  expect(eventStatus(failed, 'BeforeInstall')).toBe('Failed');
});

test('a hook that never answers fails after an hour', async () => {
  const { cd, v2 } = await steadyService('hooksilent');
  sandbox.registerCodeDeployHook(hookArn('silent'), () => undefined);
  const id = await deploy(cd, v2, [{ AfterInstall: hookArn('silent') }]);
  await walk(cd, id, (o) => eventStatus(o, 'AfterInstall') === 'InProgress');
  await sandbox.advance(59 * 60_000);
  expect((await observe(cd, id)).info.status).toBe('InProgress');
  const failed = await walk(cd, id, finished);
  expect(failed.info.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
});

test('an AppSpec hook at an event that takes none is refused', async () => {
  const { cd, v2 } = await steadyService('hookbad');
  expect(await refusalOf(deploy(cd, v2, [{ Install: hookArn('x') }]))).toBeInstanceOf(InvalidRevisionException);
});

test('a function registered over /_sandbox/lambda-hooks serves AppSpec hooks too: it is POSTed the CodeDeploy event', async () => {
  const { cd, v2 } = await steadyService('hookhttp');
  const posted: CodeDeployHookEvent[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      posted.push(JSON.parse(body) as CodeDeployHookEvent);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const functionArn = hookArn('over-http');
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks`, { method: 'POST', body: JSON.stringify({ functionArn, url }) });
    const id = await deploy(cd, v2, [{ BeforeInstall: functionArn }]);
    for (let i = 0; i < 200 && posted.length === 0; i++) {
      await sandbox.advance(STEP_MS);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(posted).toEqual([{ DeploymentId: id, LifecycleEventHookExecutionId: expect.any(String) }]);
    await codedeploy().send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: id,
        lifecycleEventHookExecutionId: posted[0].LifecycleEventHookExecutionId,
        status: 'Succeeded',
      }),
    );
    expect(eventStatus(await walk(cd, id, (o) => eventStatus(o, 'BeforeInstall') !== 'InProgress'), 'BeforeInstall')).toBe('Succeeded');
  } finally {
    await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks?functionArn=${encodeURIComponent(functionArn)}`, { method: 'DELETE' });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
