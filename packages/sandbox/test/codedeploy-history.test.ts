import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { start, type Sandbox, type SandboxEvent } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService } from '../../../test/support/codedeploy';
import { appSpecContent, createDeployment, finished, walk } from './support/codedeploy-walk';

// The sandbox's history records every change a CodeDeploy deployment goes through, in order, for benchmarks that
// time an action from what CodeDeploy did.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const of = (deploymentId: string, kind: SandboxEvent['kind']) =>
  sandbox.history.filter((e) => e.kind === kind && e.deploymentId === deploymentId);

async function steadyService(name: string) {
  const cd = await createCodeDeployService(sandbox, { service: name, group: { blueGreenDeploymentConfiguration: undefined } });
  await sandbox.advance(45_000);
  return { cd, v2: await registerRevision(sandbox, cd, 'v2') };
}

test('a deployment that succeeds records each of its statuses once, Created to Succeeded, at the time it changed', async () => {
  const { cd, v2 } = await steadyService('histok');
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  const done = await walk(sandbox, cd, id, finished);
  const statuses = of(id, 'codedeploy-deployment-status');
  expect(statuses.map((e) => e.status)).toEqual(['Created', 'InProgress', 'Succeeded']);
  expect(statuses[0]).toMatchObject({ cluster: cd.cluster, serviceName: cd.service });
  expect(statuses[2].at).toBe(done.info.completeTime?.getTime());
  expect(of(id, 'codedeploy-target-status').map((e) => e.status)).toEqual(['InProgress', 'Succeeded']);
});

test('each lifecycle event records InProgress then Succeeded, in the order the events run', async () => {
  const { cd, v2 } = await steadyService('histevents');
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  const done = await walk(sandbox, cd, id, finished);
  const events = of(id, 'codedeploy-lifecycle-event').map((e) => `${e.lifecycleEventName}:${e.status}`);
  const names = (done.target.lifecycleEvents ?? []).map((e) => e.lifecycleEventName as string);
  expect(events).toEqual(names.flatMap((name) => [`${name}:InProgress`, `${name}:Succeeded`]));
  const install = of(id, 'codedeploy-lifecycle-event').find((e) => e.lifecycleEventName === 'Install' && e.status === 'Succeeded');
  expect(install?.at).toBe(done.target.lifecycleEvents?.find((e) => e.lifecycleEventName === 'Install')?.endTime?.getTime());
});

test('a failed hook records its event Failed, the later ones Skipped, before the deployment Failed', async () => {
  const { cd, v2 } = await steadyService('histfail');
  const hook = 'arn:aws:lambda:us-east-1:000000000000:function:hist-reject';
  sandbox.registerCodeDeployHook(hook, async (event) => {
    await codeDeployClient(sandbox).send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Failed',
      }),
    );
  });
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2, [{ AfterInstall: hook }]));
  await walk(sandbox, cd, id, finished);
  const changes = sandbox.history.filter(
    (e) => e.deploymentId === id && e.kind.startsWith('codedeploy-') && e.kind !== 'codedeploy-traffic',
  );
  const failedEvent = changes.findIndex((e) => e.kind === 'codedeploy-lifecycle-event' && e.status === 'Failed');
  const failedDeployment = changes.findIndex((e) => e.kind === 'codedeploy-deployment-status' && e.status === 'Failed');
  expect(changes[failedEvent].lifecycleEventName).toBe('AfterInstall');
  expect(failedEvent).toBeGreaterThan(-1);
  expect(failedDeployment).toBeGreaterThan(failedEvent);
  expect(
    of(id, 'codedeploy-lifecycle-event')
      .filter((e) => e.status === 'Skipped')
      .map((e) => e.lifecycleEventName),
  ).toEqual(['AllowTestTraffic', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);
});

test('production traffic moving records the replacement task set and its share', async () => {
  const { cd, v2 } = await steadyService('histtraffic');
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, v2));
  const done = await walk(sandbox, cd, id, (o) => o.target.status === 'Succeeded' || finished(o));
  const green = done.target.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.identifer;
  expect(of(id, 'codedeploy-traffic').map((e) => [e.taskSetId, e.trafficWeight])).toEqual([[green, 100]]);
});
