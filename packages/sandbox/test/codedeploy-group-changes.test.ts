import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  ApplicationDoesNotExistException,
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentGroupCommand,
  DeleteApplicationCommand,
  DeleteDeploymentGroupCommand,
  DeploymentGroupDoesNotExistException,
  DeploymentTargetListSizeExceededException,
  GetApplicationCommand,
  GetDeploymentGroupCommand,
  InvalidBlueGreenDeploymentConfigurationException,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, deploymentGroupInput } from '../../../test/support/codedeploy';
import { appSpecContent, createDeployment, finished, refusalOf, walk } from './support/codedeploy-walk';

// Changing and removing ECS deployment groups and applications; BatchGetDeploymentTargets.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

const codedeploy = () => codeDeployClient(sandbox);

test('UpdateDeploymentGroup changes what it is given and keeps the rest', async () => {
  const cd = await createCodeDeployService(sandbox, { service: 'upd' });
  await codedeploy().send(
    new UpdateDeploymentGroupCommand({
      applicationName: cd.applicationName,
      currentDeploymentGroupName: cd.deploymentGroupName,
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
    }),
  );
  const info = (
    await codedeploy().send(
      new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
    )
  ).deploymentGroupInfo;
  expect(info).toMatchObject({
    deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
    ecsServices: [{ clusterName: cd.cluster, serviceName: cd.service }],
    blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: 5 } },
  });
});

test('UpdateDeploymentGroup refuses a bad setting and changes nothing', async () => {
  const cd = await createCodeDeployService(sandbox, { service: 'updbad' });
  const refused = await refusalOf(
    codedeploy().send(
      new UpdateDeploymentGroupCommand({
        applicationName: cd.applicationName,
        currentDeploymentGroupName: cd.deploymentGroupName,
        deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 3000 },
        },
      }),
    ),
  );
  expect(refused).toBeInstanceOf(InvalidBlueGreenDeploymentConfigurationException);
  const info = (
    await codedeploy().send(
      new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
    )
  ).deploymentGroupInfo;
  expect(info?.deploymentConfigName).toBe('CodeDeployDefault.ECSAllAtOnce');
});

test('UpdateDeploymentGroup renames a group: the old name is gone', async () => {
  const cd = await createCodeDeployService(sandbox, { service: 'updname' });
  await codedeploy().send(
    new UpdateDeploymentGroupCommand({
      applicationName: cd.applicationName,
      currentDeploymentGroupName: cd.deploymentGroupName,
      newDeploymentGroupName: 'renamed',
    }),
  );
  const renamed = await codedeploy().send(
    new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: 'renamed' }),
  );
  expect(renamed.deploymentGroupInfo?.ecsServices).toEqual([{ clusterName: cd.cluster, serviceName: cd.service }]);
  const old = await refusalOf(
    codedeploy().send(new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName })),
  );
  expect(old).toBeInstanceOf(DeploymentGroupDoesNotExistException);
});

test('DeleteDeploymentGroup frees the service for another group; DeleteApplication removes the application', async () => {
  const cd = await createCodeDeployService(sandbox, { service: 'del' });
  await codedeploy().send(
    new DeleteDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
  );
  const gone = await refusalOf(
    codedeploy().send(new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName })),
  );
  expect(gone).toBeInstanceOf(DeploymentGroupDoesNotExistException);
  const again = await codedeploy().send(new CreateDeploymentGroupCommand({ ...deploymentGroupInput(cd), deploymentGroupName: 'second' }));
  expect(again.deploymentGroupId).toBeDefined();
  await codedeploy().send(new DeleteApplicationCommand({ applicationName: cd.applicationName }));
  expect(await refusalOf(codedeploy().send(new GetApplicationCommand({ applicationName: cd.applicationName })))).toBeInstanceOf(
    ApplicationDoesNotExistException,
  );
});

test("BatchGetDeploymentTargets gives the deployment's one ECS target, and refuses a list of more than one", async () => {
  const cd = await createCodeDeployService(sandbox, { service: 'btargets', group: { blueGreenDeploymentConfiguration: undefined } });
  await sandbox.advance(45_000);
  const id = await createDeployment(sandbox, cd, appSpecContent(cd, await registerRevision(sandbox, cd, 'v2')));
  const targetId = `${cd.cluster}:${cd.service}`;
  const got = await codedeploy().send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [targetId] }));
  expect(got.deploymentTargets?.map((t) => [t.deploymentTargetType, t.ecsTarget?.targetId])).toEqual([['ECSTarget', targetId]]);
  const two = await refusalOf(codedeploy().send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [targetId, 'x:y'] })));
  expect(two).toBeInstanceOf(DeploymentTargetListSizeExceededException);
  await walk(sandbox, cd, id, finished);
});
