import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Context } from '../src/context';
import { emptyEcsState, type DeploymentConfigurationRecord, type DeploymentRecord, type ServiceRecord } from '../src/ecs/state';
import { start, type Sandbox } from '../src/index';
import { rollingStrategy } from '../src/scheduler/rolling-strategy';
import { strategyFor } from '../src/scheduler/strategies';
import { container, createSteadyService, describeService, register, waitForService } from './support/harness';

describe('strategyFor picks the strategy of deploymentConfiguration.strategy', () => {
  function serviceWith(strategy: string | undefined): { ctx: Context; service: ServiceRecord; primary: DeploymentRecord } {
    const configuration = { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false }, strategy } as DeploymentConfigurationRecord;
    const ctx = { ecs: emptyEcsState() } as unknown as Context;
    const service = { deploymentConfiguration: configuration } as ServiceRecord;
    return { ctx, service, primary: { serviceDeploymentArn: 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x' } as DeploymentRecord };
  }

  test.each([undefined, 'ROLLING'])('%s: ROLLING', (strategy) => {
    const { ctx, service, primary } = serviceWith(strategy);
    expect(strategyFor(ctx, service, primary)).toBe(rollingStrategy);
  });

  // The sandbox has always rolled these; they keep rolling until their own strategies plug in.
  test.each(['BLUE_GREEN', 'LINEAR', 'CANARY', 'constructor'])('%s, which the sandbox does not implement: ROLLING, as before', (strategy) => {
    const { ctx, service, primary } = serviceWith(strategy);
    expect(strategyFor(ctx, service, primary).name).toBe('ROLLING');
  });
});

describe('a service whose strategy the sandbox does not implement', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start({ timeScale: 0.05 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  test('BLUE_GREEN is deployed as a rolling update, as the sandbox always did', async () => {
    const { ecs, cluster, service, taskDefinitionArn: oldArn } = await createSteadyService(sandbox, {
      service: 'bluegreen',
      image: 'bluegreen:1',
      desiredCount: 2,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, minimumHealthyPercent: 50, maximumPercent: 100 },
    });
    const newArn = await register(ecs, 'bluegreen', [container('bluegreen', 'bluegreen:2')]);
    await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: newArn }));

    const settled = await waitForService(sandbox, cluster, service, (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && s.taskDefinition === newArn);

    expect(settled.deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    // maximumPercent 100 leaves no room for a green fleet beside the blue one: old tasks stopped first, as in a rolling update.
    const stoppedArns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }))).taskArns ?? [];
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: stoppedArns }))).tasks ?? [];
    expect(stopped.map((t) => t.taskDefinitionArn)).toEqual([oldArn, oldArn]);
    expect(stopped.every((t) => t.stoppedReason?.startsWith('Scaling activity initiated by (deployment '))).toBe(true);
    expect((await describeService(sandbox, cluster, service)).runningCount).toBe(2);
  });
});
