import { beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import { createBlueGreenService, type BlueGreenService } from '../../../test/support/blue-green';
import { describeService, ecsClient, network } from './support/harness';
import { useManualSandbox } from './support/blue-green-walk';

// Blue/green, linear and canary deploymentConfiguration on CreateService: what ECS refuses, and what it echoes back.
const sandbox = useManualSandbox();

describe('deploymentConfiguration for BLUE_GREEN, LINEAR and CANARY', () => {
  let bg: BlueGreenService;
  beforeAll(async () => {
    bg = await createBlueGreenService(sandbox, { service: 'checks', cluster: 'bg', waitForSteady: false });
  });

  const create = (name: string, deploymentConfiguration: object, advanced = true) =>
    ecsClient(sandbox).send(
      new CreateServiceCommand({
        cluster: 'bg',
        serviceName: name,
        taskDefinition: bg.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
        loadBalancers: [
          {
            targetGroupArn: bg.primaryTargetGroupArn,
            containerName: bg.containerName,
            containerPort: 8080,
            advancedConfiguration: advanced
              ? { alternateTargetGroupArn: bg.alternateTargetGroupArn, productionListenerRule: bg.productionRuleArn, roleArn: bg.roleArn }
              : undefined,
          },
        ],
        deploymentConfiguration,
      }),
    );

  test.each([
    [{ strategy: 'BLUE_GREEN' }, /bakeTimeInMinutes is required/],
    [{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, /bakeTimeInMinutes must be an integer between 0 and 1440/],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }, /stepPercent must be between 3 and 100/],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 10.05 } }, /in steps of 0.1/],
    [{ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: -1 } }, /canaryBakeTimeInMinutes/],
    [{ strategy: 'SIDEWAYS' }, /strategy must be one of/],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] },
      /PAUSE hook cannot be configured for the TEST_TRAFFIC_SHIFT stage/,
    ],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['SOMETIME'] }] },
      /"SOMETIME" is not one of/,
    ],
    [
      {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 0,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 0 } }],
      },
      /timeoutInMinutes must be an integer between 1 and 20160/,
    ],
    [
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ lifecycleStages: ['POST_SCALE_UP'] }] },
      /hookTargetArn must be the ARN of a Lambda function/,
    ],
  ])('%j is refused', async (configuration, message) => {
    const refused = create('refused', configuration);
    await expect(refused).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(refused).rejects.toThrow(message);
  });

  test('a blue/green service behind a load balancer needs advancedConfiguration', async () => {
    await expect(create('no-advanced', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, false)).rejects.toThrow(
      /advancedConfiguration is required for the BLUE_GREEN deployment strategy/,
    );
  });

  test('the configuration is echoed by DescribeServices and DescribeServiceDeployments, with its defaults', async () => {
    const deploymentConfiguration = {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 3,
      linearConfiguration: { stepPercent: 25 },
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    };
    await create('echo', deploymentConfiguration);
    const expected = {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 3,
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 6 },
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    };
    const service = await describeService(sandbox, 'bg', 'echo');
    expect(service.deploymentConfiguration).toMatchObject(expected);
    expect(service.loadBalancers?.[0].advancedConfiguration).toEqual({
      alternateTargetGroupArn: bg.alternateTargetGroupArn,
      productionListenerRule: bg.productionRuleArn,
      roleArn: bg.roleArn,
    });
    const ecs = ecsClient(sandbox);
    const [brief] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'echo' }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd?.deploymentConfiguration).toMatchObject(expected);
  });
});
