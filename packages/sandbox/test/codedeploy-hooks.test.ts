import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InvalidLifecycleEventHookExecutionIdException,
  InvalidRevisionException,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { start, type CodeDeployHookEvent, type Sandbox } from '../src/index';
import { codeDeployClient } from '../../../test/support/codedeploy';
import {
  appSpecContent,
  createDeployment,
  eventStatus,
  finished,
  forwardWeights,
  observe,
  refusalOf,
  steadyCodeDeployService,
  STEP_MS,
  walk,
} from './support/codedeploy-walk';

// AppSpec hooks: local handlers stand in for the Lambda functions and answer through the SDK, on the manual clock.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const codedeploy = () => codeDeployClient(sandbox);
const hookArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

test('a hook holds its event until its function reports Succeeded with PutLifecycleEventHookExecutionStatus', async () => {
  const { cd, v2 } = await steadyCodeDeployService(sandbox, 'hookok');
  const received: CodeDeployHookEvent[] = [];
  sandbox.registerCodeDeployHook(hookArn('check-test-traffic'), (event) => void received.push(event));
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ AfterAllowTestTraffic: hookArn('check-test-traffic') }]));
  const waiting = await walk(sandbox, cd, id, (o) => eventStatus(o, 'AfterAllowTestTraffic') === 'InProgress' || finished(o));
  await sandbox.advance(10 * 60_000);
  expect(eventStatus(await observe(sandbox, cd, id), 'AfterAllowTestTraffic')).toBe('InProgress');
  expect(received).toEqual([{ DeploymentId: id, LifecycleEventHookExecutionId: expect.any(String) }]);
  // The hook sees test traffic on the replacement, production still on the original.
  expect(await forwardWeights(sandbox, cd.testListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
  expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
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
  const rerouted = await walk(sandbox, cd, id, (o) => o.target.status === 'Succeeded' || finished(o));
  expect(eventStatus(rerouted, 'AfterAllowTestTraffic')).toBe('Succeeded');
  expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.greenTargetGroupArn]: 1 });
});

test('a hook whose function reports Failed fails the deployment with HOOK_EXECUTION_FAILURE before production moves', async () => {
  const { cd, v2 } = await steadyCodeDeployService(sandbox, 'hookfail');
  sandbox.registerCodeDeployHook(hookArn('reject'), async (event) => {
    await codedeploy().send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Failed',
      }),
    );
  });
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ BeforeAllowTraffic: hookArn('reject') }]));
  const failed = await walk(sandbox, cd, id, finished);
  expect(failed.info.status).toBe('Failed');
  expect(failed.info.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
  expect(eventStatus(failed, 'BeforeAllowTraffic')).toBe('Failed');
  expect(eventStatus(failed, 'AllowTraffic')).toBe('Skipped');
  expect(await forwardWeights(sandbox, cd.productionListenerArn)).toEqual({ [cd.blueTargetGroupArn]: 1 });
});

test('a hook whose function the sandbox does not know fails its event', async () => {
  const { cd, v2 } = await steadyCodeDeployService(sandbox, 'hookmissing');
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ BeforeInstall: hookArn('missing') }]));
  const failed = await walk(sandbox, cd, id, finished);
  expect(failed.info.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
  expect(eventStatus(failed, 'BeforeInstall')).toBe('Failed');
});

test('a hook that never answers fails after an hour', async () => {
  const { cd, v2 } = await steadyCodeDeployService(sandbox, 'hooksilent');
  sandbox.registerCodeDeployHook(hookArn('silent'), () => undefined);
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ AfterInstall: hookArn('silent') }]));
  await walk(sandbox, cd, id, (o) => eventStatus(o, 'AfterInstall') === 'InProgress');
  await sandbox.advance(59 * 60_000);
  expect((await observe(sandbox, cd, id)).info.status).toBe('InProgress');
  const failed = await walk(sandbox, cd, id, finished);
  expect(failed.info.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
});

test('an AppSpec hook at an event that takes none is refused', async () => {
  const { cd, v2 } = await steadyCodeDeployService(sandbox, 'hookbad');
  expect(await refusalOf(createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ Install: hookArn('x') }])))).toBeInstanceOf(
    InvalidRevisionException,
  );
});

test('a function registered over /_sandbox/lambda-hooks serves AppSpec hooks too: it is POSTed the CodeDeploy event', async () => {
  const { cd, v2 } = await steadyCodeDeployService(sandbox, 'hookhttp');
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
    const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ BeforeInstall: functionArn }]));
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
    expect(eventStatus(await walk(sandbox, cd, id, (o) => eventStatus(o, 'BeforeInstall') !== 'InProgress'), 'BeforeInstall')).toBe(
      'Succeeded',
    );
  } finally {
    await fetch(`${sandbox.endpoint}/_sandbox/lambda-hooks?functionArn=${encodeURIComponent(functionArn)}`, { method: 'DELETE' });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
