import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { Context } from '../src/context';
import { emptyEcsState, type DeploymentConfigurationRecord, type DeploymentRecord, type ServiceRecord } from '../src/ecs/state';
import { start, type Sandbox } from '../src/index';
import { rollingStrategy } from '../src/scheduler/rolling-strategy';
import { strategyFor } from '../src/scheduler/strategies';
import { container, describeService, ecsClient, network, register } from './support/harness';

describe('strategyFor picks the strategy of deploymentConfiguration.strategy', () => {
  function serviceWith(strategy: string | undefined): { ctx: Context; service: ServiceRecord; primary: DeploymentRecord } {
    const configuration = {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      strategy,
    } as DeploymentConfigurationRecord;
    const ctx = { ecs: emptyEcsState() } as unknown as Context;
    const service = { deploymentConfiguration: configuration } as ServiceRecord;
    return {
      ctx,
      service,
      primary: { serviceDeploymentArn: 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x' } as DeploymentRecord,
    };
  }

  test.each([undefined, 'ROLLING'])('%s: ROLLING', (strategy) => {
    const { ctx, service, primary } = serviceWith(strategy);
    expect(strategyFor(ctx, service, primary)).toBe(rollingStrategy);
  });

  test.each(['BLUE_GREEN', 'LINEAR', 'CANARY'])('%s: its own traffic-shifting strategy', (strategy) => {
    const { ctx, service, primary } = serviceWith(strategy);
    expect(strategyFor(ctx, service, primary).name).toBe(strategy);
  });

  // CreateService refuses an unknown strategy; a record that somehow has one still rolls.
  test('an unknown name: ROLLING', () => {
    const { ctx, service, primary } = serviceWith('constructor');
    expect(strategyFor(ctx, service, primary)).toBe(rollingStrategy);
  });
});

describe('a BLUE_GREEN service without a load balancer', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start({ clock: 'manual' });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  test('runs the full green fleet beside blue, whatever maximumPercent, then stops blue', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'test' }));
    const oldArn = await register(ecs, 'bluegreen', [container('bluegreen', 'bluegreen:1')]);
    const deploymentConfiguration = {
      strategy: 'BLUE_GREEN' as const,
      bakeTimeInMinutes: 0,
      minimumHealthyPercent: 50,
      maximumPercent: 100,
    };
    const base = { cluster: 'test', launchType: 'FARGATE' as const, networkConfiguration: network };
    await ecs.send(
      new CreateServiceCommand({ ...base, serviceName: 'bluegreen', taskDefinition: oldArn, desiredCount: 2, deploymentConfiguration }),
    );
    await sandbox.advance(2 * 60_000);
    const newArn = await register(ecs, 'bluegreen', [container('bluegreen', 'bluegreen:2')]);
    await ecs.send(new UpdateServiceCommand({ cluster: 'test', service: 'bluegreen', taskDefinition: newArn }));

    await sandbox.advance(2 * 60_000);

    const settled = await describeService(sandbox, 'test', 'bluegreen');
    expect(settled.deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    expect(settled.deployments).toMatchObject([{ taskDefinition: newArn, rolloutState: 'COMPLETED', runningCount: 2 }]);
    // Blue/green ignores maximumPercent: green scaled up in full, and blue was stopped at CLEAN_UP.
    const stoppedArns =
      (await ecs.send(new ListTasksCommand({ cluster: 'test', serviceName: 'bluegreen', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster: 'test', tasks: stoppedArns }))).tasks ?? [];
    expect(stopped.map((t) => t.taskDefinitionArn)).toEqual([oldArn, oldArn]);
    expect(stopped.every((t) => t.stoppedReason?.startsWith('Scaling activity initiated by (deployment '))).toBe(true);
  });
});
