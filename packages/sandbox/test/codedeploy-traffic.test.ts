import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { GetDeploymentCommand, GetDeploymentTargetCommand } from '@aws-sdk/client-codedeploy';
import { start, type Sandbox } from '../src/index';
import { answers, blueGreenCatalog, registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployDeployment, createCodeDeployService } from '../../../test/support/codedeploy';
import { describeService, waitFor } from './support/harness';

// Real processes behind the listeners: a request through the production listener tells which revision answered.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ catalog: blueGreenCatalog(), timeScale: 0.02 });
});
afterAll(async () => {
  await sandbox.stop();
});

test('production requests reach the replacement task set once CodeDeploy rerouted the listener, and it stays after the original is gone', async () => {
  const cd = await createCodeDeployService(sandbox, {
    service: 'live',
    group: {
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
        // 5 minutes (6 s at this scale): long enough to read the original task set on a busy machine before it goes.
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      },
    },
  });
  const productionUrl = sandbox.listenerUrl(cd.productionListenerArn);
  await waitFor('v1 behind the production listener', async () => ((await answers(productionUrl, 1))[0] === 'v1' ? true : undefined));

  const v2 = await registerRevision(sandbox, cd, 'v2');
  const codedeploy = codeDeployClient(sandbox);
  const deploymentId = await createCodeDeployDeployment(sandbox, cd, v2);
  const target = () =>
    codedeploy
      .send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` }))
      .then((t) => t.deploymentTarget?.ecsTarget);
  await waitFor('the termination wait', async () => ((await target())?.status === 'Succeeded' ? true : undefined));
  expect(await answers(productionUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
  expect(await answers(sandbox.listenerUrl(cd.testListenerArn), 2)).toEqual(['v2', 'v2']);
  // The original task set still runs its tasks, out of production.
  const waiting = await describeService(sandbox, cd.cluster, cd.service);
  expect(waiting.taskSets?.find((t) => t.status === 'ACTIVE')).toMatchObject({ taskDefinition: cd.taskDefinitionArn, runningCount: 2 });

  await waitFor('Succeeded', async () =>
    (await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status === 'Succeeded' ? true : undefined,
  );
  expect(await answers(productionUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
  const done = await waitFor('the original tasks stopped', async () => {
    const service = await describeService(sandbox, cd.cluster, cd.service);
    return service.runningCount === 2 && service.taskSets?.length === 1 ? service : undefined;
  });
  expect(done.taskSets?.[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: v2 });
});
