import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ApplicationAlreadyExistsException,
  ApplicationDoesNotExistException,
  BatchGetDeploymentGroupsCommand,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  ECSServiceMappingLimitExceededException,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  InvalidBlueGreenDeploymentConfigurationException,
  InvalidDeploymentConfigNameException,
  InvalidDeploymentStyleException,
  InvalidECSServiceException,
  InvalidTargetGroupPairException,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateServiceCommand, DescribeTaskSetsCommand, InvalidParameterException, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, deploymentGroupInput, type CodeDeployService } from '../../../test/support/codedeploy';
import { describeService, ecsClient, network } from './support/harness';

// CODE_DEPLOY services with scripted tasks on the manual clock.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
});
afterAll(async () => {
  await sandbox.stop();
});

function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

describe('a service under the CODE_DEPLOY deployment controller', () => {
  let cd: CodeDeployService;
  beforeAll(async () => {
    cd = await createCodeDeployService(sandbox, { service: 'ts', createGroup: false });
    await sandbox.advance(5_000);
  });

  test('runs its tasks in a first task set: PRIMARY, 100% of the desired count, in the service target group', async () => {
    const service = await describeService(sandbox, cd.cluster, cd.service);
    expect(service.deployments).toEqual([]);
    expect(service.taskSets).toHaveLength(1);
    expect(service.taskSets?.[0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: cd.taskDefinitionArn,
      computedDesiredCount: 2,
      runningCount: 2,
      scale: { value: 100, unit: 'PERCENT' },
      loadBalancers: [{ targetGroupArn: cd.blueTargetGroupArn, containerName: cd.service, containerPort: 8080 }],
    });
    expect(service.taskSets?.[0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(service.taskSets?.[0].taskSetArn).toBe(`arn:aws:ecs:us-east-1:000000000000:task-set/cd/ts/${service.taskSets?.[0].id}`);
    expect(service.runningCount).toBe(2);
    expect(service.taskDefinition).toBe(cd.taskDefinitionArn);
  });

  test("refuses a new task definition by UpdateService, in ECS's words", async () => {
    const v2 = await registerRevision(sandbox, cd, 'v2');
    const error = await refusalOf(
      ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: cd.cluster, service: cd.service, taskDefinition: v2 })),
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  });

  test('answers DescribeTaskSets with its task sets, by id or ARN, and MISSING for others', async () => {
    const [taskSet] = (await describeService(sandbox, cd.cluster, cd.service)).taskSets ?? [];
    const all = await ecsClient(sandbox).send(new DescribeTaskSetsCommand({ cluster: cd.cluster, service: cd.service }));
    expect(all.taskSets?.map((t) => t.id)).toEqual([taskSet.id]);
    const named = await ecsClient(sandbox).send(
      new DescribeTaskSetsCommand({ cluster: cd.cluster, service: cd.service, taskSets: [taskSet.taskSetArn as string, 'ecs-svc/0'] }),
    );
    expect(named.taskSets?.map((t) => t.status)).toEqual(['PRIMARY']);
    expect(named.failures).toEqual([{ arn: 'ecs-svc/0', reason: 'MISSING' }]);
  });

  test('scales its task set with the desired count', async () => {
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: cd.cluster, service: cd.service, desiredCount: 3 }));
    await sandbox.advance(1_000);
    const service = await describeService(sandbox, cd.cluster, cd.service);
    expect(service.taskSets?.[0]).toMatchObject({ computedDesiredCount: 3, runningCount: 3 });
  });
});

describe('applications', () => {
  const codedeploy = () => codeDeployClient(sandbox);

  test('are created, read and listed; a second one of the same name is refused', async () => {
    const created = await codedeploy().send(new CreateApplicationCommand({ applicationName: 'apps-one', computePlatform: 'ECS' }));
    const read = await codedeploy().send(new GetApplicationCommand({ applicationName: 'apps-one' }));
    expect(read.application).toMatchObject({ applicationId: created.applicationId, applicationName: 'apps-one', computePlatform: 'ECS' });
    expect(read.application?.createTime).toBeInstanceOf(Date);
    expect((await codedeploy().send(new ListApplicationsCommand({}))).applications).toContain('apps-one');
    const again = await refusalOf(codedeploy().send(new CreateApplicationCommand({ applicationName: 'apps-one', computePlatform: 'ECS' })));
    expect(again).toBeInstanceOf(ApplicationAlreadyExistsException);
  });

  test("one that does not exist is ApplicationDoesNotExistException, in CodeDeploy's words", async () => {
    const error = await refusalOf(codedeploy().send(new GetApplicationCommand({ applicationName: 'nope' })));
    expect(error).toBeInstanceOf(ApplicationDoesNotExistException);
    expect(error.message).toBe('No application found for name: nope');
  });
});

describe('deployment groups of ECS services', () => {
  let cd: CodeDeployService;
  const codedeploy = () => codeDeployClient(sandbox);
  beforeAll(async () => {
    cd = await createCodeDeployService(sandbox, { service: 'dg' });
  });

  test('are read back with their blue/green settings, listed and batch-read', async () => {
    const { deploymentGroupInfo: info } = await codedeploy().send(
      new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
    );
    const given = deploymentGroupInput(cd);
    expect(info).toMatchObject({
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      serviceRoleArn: cd.serviceRoleArn,
      computePlatform: 'ECS',
      ecsServices: given.ecsServices,
      loadBalancerInfo: given.loadBalancerInfo,
      blueGreenDeploymentConfiguration: given.blueGreenDeploymentConfiguration,
      autoRollbackConfiguration: given.autoRollbackConfiguration,
      deploymentStyle: given.deploymentStyle,
    });
    const listed = await codedeploy().send(new ListDeploymentGroupsCommand({ applicationName: cd.applicationName }));
    expect(listed).toMatchObject({ applicationName: cd.applicationName, deploymentGroups: [cd.deploymentGroupName] });
    const batch = await codedeploy().send(
      new BatchGetDeploymentGroupsCommand({
        applicationName: cd.applicationName,
        deploymentGroupNames: [cd.deploymentGroupName, 'missing'],
      }),
    );
    expect(batch.deploymentGroupsInfo?.map((g) => g.deploymentGroupName)).toEqual([cd.deploymentGroupName]);
    expect(batch.errorMessage).toContain('missing');
  });

  test('one that does not exist is DeploymentGroupDoesNotExistException', async () => {
    const error = await refusalOf(
      codedeploy().send(new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: 'nope' })),
    );
    expect(error).toBeInstanceOf(DeploymentGroupDoesNotExistException);
  });

  test('a second group for the same service is refused: a service has one deployment group', async () => {
    const error = await refusalOf(
      codedeploy().send(new CreateDeploymentGroupCommand({ ...deploymentGroupInput(cd), deploymentGroupName: 'second' })),
    );
    expect(error).toBeInstanceOf(ECSServiceMappingLimitExceededException);
  });

  test('refuses what CodeDeploy could not deploy, before creating anything', async () => {
    const other = await createCodeDeployService(sandbox, { service: 'bad', createGroup: false });
    await codedeploy().send(new CreateApplicationCommand({ applicationName: other.applicationName, computePlatform: 'ECS' }));
    const input = deploymentGroupInput(other);
    const pair = input.loadBalancerInfo?.targetGroupPairInfoList?.[0];
    const attempt = (overrides: object) => refusalOf(codedeploy().send(new CreateDeploymentGroupCommand({ ...input, ...overrides })));

    expect(await attempt({ deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' } })).toBeInstanceOf(
      InvalidDeploymentStyleException,
    );
    expect(await attempt({ deploymentConfigName: 'CodeDeployDefault.ECSLinear50PercentEvery2Minutes' })).toBeInstanceOf(
      DeploymentConfigDoesNotExistException,
    );
    expect(await attempt({ deploymentConfigName: 'CodeDeployDefault.OneAtATime' })).toBeInstanceOf(InvalidDeploymentConfigNameException);
    expect(await attempt({ ecsServices: [{ clusterName: other.cluster, serviceName: 'nosuch' }] })).toBeInstanceOf(
      InvalidECSServiceException,
    );
    expect(
      await attempt({
        loadBalancerInfo: {
          targetGroupPairInfoList: [{ ...pair, targetGroups: [{ name: cd.blueTargetGroupName }, { name: other.greenTargetGroupName }] }],
        },
      }),
    ).toBeInstanceOf(InvalidTargetGroupPairException);
    expect(
      await attempt({
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 2881 },
        },
      }),
    ).toBeInstanceOf(InvalidBlueGreenDeploymentConfigurationException);

    // A rolling (ECS controller) service cannot be a CodeDeploy target.
    const ecs = ecsClient(sandbox);
    await ecs.send(
      new CreateServiceCommand({
        cluster: other.cluster,
        serviceName: 'rolling',
        taskDefinition: other.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    const rolling = await attempt({ ecsServices: [{ clusterName: other.cluster, serviceName: 'rolling' }] });
    expect(rolling).toBeInstanceOf(InvalidECSServiceException);
    expect(rolling.message).toContain('CODE_DEPLOY');

    const groups = await codedeploy().send(new ListDeploymentGroupsCommand({ applicationName: other.applicationName }));
    expect(groups.deploymentGroups).toEqual([]);
  });
});

describe('the predefined ECS deployment configurations', () => {
  test.each([
    ['CodeDeployDefault.ECSAllAtOnce', { type: 'AllAtOnce' }],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } },
    ],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
      { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } },
    ],
    [
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
      { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
    ],
    [
      'CodeDeployDefault.ECSCanary10Percent15Minutes',
      { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } },
    ],
  ])('%s routes traffic as documented', async (name, trafficRoutingConfig) => {
    const { deploymentConfigInfo } = await codeDeployClient(sandbox).send(new GetDeploymentConfigCommand({ deploymentConfigName: name }));
    expect(deploymentConfigInfo).toMatchObject({ deploymentConfigName: name, computePlatform: 'ECS', trafficRoutingConfig });
  });

  test('an unknown one is DeploymentConfigDoesNotExistException', async () => {
    const error = await refusalOf(codeDeployClient(sandbox).send(new GetDeploymentConfigCommand({ deploymentConfigName: 'Mine' })));
    expect(error).toBeInstanceOf(DeploymentConfigDoesNotExistException);
  });
});

describe('IAM', () => {
  afterEach(() => sandbox.setIamPolicy(undefined));

  test('CodeDeploy calls are authorized on their application or deployment group, and a group passes its service role', async () => {
    const cd = await createCodeDeployService(sandbox, { service: 'iam', createGroup: false });
    sandbox.setIamPolicy({ allow: ['codedeploy:CreateApplication', 'codedeploy:CreateDeploymentGroup', 'codedeploy:GetApplication'] });
    await codeDeployClient(sandbox).send(new CreateApplicationCommand({ applicationName: cd.applicationName, computePlatform: 'ECS' }));
    expect(sandbox.calls.at(-1)).toMatchObject({ iamAction: 'codedeploy:CreateApplication' });

    const refused = await refusalOf(codeDeployClient(sandbox, 1).send(new CreateDeploymentGroupCommand(deploymentGroupInput(cd))));
    expect(refused.name).toBe('AccessDeniedException');
    expect(refused.message).toContain(`iam:PassRole on resource: ${cd.serviceRoleArn}`);

    const denied = await refusalOf(
      codeDeployClient(sandbox, 1).send(
        new GetDeploymentGroupCommand({ applicationName: cd.applicationName, deploymentGroupName: cd.deploymentGroupName }),
      ),
    );
    expect(denied.message).toContain(
      `codedeploy:GetDeploymentGroup on resource: arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:${cd.applicationName}/${cd.deploymentGroupName}`,
    );
  });
});
