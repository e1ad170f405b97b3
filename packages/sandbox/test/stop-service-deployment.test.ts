import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import type { Context } from '../src/context';
import { emptyEcsState, type ServiceDeploymentRecord, type ServiceDeploymentStatus } from '../src/ecs/state';
import { serviceDeploymentOperations } from '../src/ecs/service-deployments';
import { start, type Sandbox } from '../src/index';
import { container, createSteadyService, describeService, ecsClient, network, register, waitFor } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.025 });
});
afterAll(async () => {
  await sandbox.stop();
});

const describeSd = async (ecs: ECSClient, arn: string) =>
  (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments?.[0];

async function currentServiceDeployment(ecs: ECSClient, cluster: string, service: string): Promise<string> {
  const [current] =
    (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status: ['PENDING', 'IN_PROGRESS'] }))).serviceDeployments ?? [];
  return current.serviceDeploymentArn as string;
}

describe('StopServiceDeployment', () => {
  test('on a service deployment already rolling back, continues that rollback and answers its ARN', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'again', image: 'again:1' });
    sandbox.script('again:2', { kind: 'pending-forever' });
    // The rollback's own tasks of the old revision stay PENDING, so it stays in progress for the test.
    sandbox.script('again:1', { kind: 'pending-forever' });
    await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: await register(ecs, 'again', [container('again', 'again:2')]) }),
    );
    const arn = await currentServiceDeployment(ecs, cluster, service);
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const rolling = await waitFor('ROLLBACK_IN_PROGRESS', async () => {
      const sd = await describeSd(ecs, arn);
      return sd?.status === 'ROLLBACK_IN_PROGRESS' ? sd : undefined;
    });
    const before = await describeService(sandbox, cluster, service);

    const answer = await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));

    expect(answer.serviceDeploymentArn).toBe(arn);
    const after = await describeSd(ecs, arn);
    expect(after?.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(after?.rollback).toEqual(rolling.rollback);
    // The same rollback goes on: no second rollback deployment on top of it.
    expect((await describeService(sandbox, cluster, service)).deployments?.map((d) => d.id)).toEqual(before.deployments?.map((d) => d.id));
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test("on a service's first deployment, with no completed revision to return to, is refused and changes nothing", async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'test' }));
    const taskDefinition = await register(ecs, 'first', [container('first', 'first:1')]);
    sandbox.script('first:1', { kind: 'pending-forever' });
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'test',
        serviceName: 'first',
        taskDefinition,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    const arn = await currentServiceDeployment(ecs, 'test', 'first');

    await expect(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))).rejects.toMatchObject({
      name: 'ConflictException',
    });

    expect((await describeSd(ecs, arn))?.status).toMatch(/^(PENDING|IN_PROGRESS)$/);
    await ecs.send(new UpdateServiceCommand({ cluster: 'test', service: 'first', desiredCount: 0 }));
  });
});

describe('StopServiceDeployment by the state of the service deployment (developer guide, "Stopping Amazon ECS service deployments")', () => {
  // STOP_REQUESTED and ROLLBACK_REQUESTED last only until the scheduler's next pass, too short to catch
  // through the API, so these call the operation on a service deployment in that state.
  function contextWith(status: ServiceDeploymentStatus): { ctx: Context; sd: ServiceDeploymentRecord } {
    const ecs = emptyEcsState();
    const sd = {
      arn: 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x',
      serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/c/s',
      status,
    } as ServiceDeploymentRecord;
    ecs.serviceDeployments.set(sd.arn, sd);
    return { ctx: { ecs } as unknown as Context, sd };
  }

  test.each(['STOP_REQUESTED', 'ROLLBACK_REQUESTED'] as const)('%s: the operation continues and the answer is its ARN', (status) => {
    const { ctx, sd } = contextWith(status);
    expect(serviceDeploymentOperations.StopServiceDeployment(ctx, { serviceDeploymentArn: sd.arn, stopType: 'ROLLBACK' })).toEqual({
      serviceDeploymentArn: sd.arn,
    });
    expect(sd.status).toBe(status);
  });

  test.each(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'] as const)(
    '%s: a completed service deployment cannot be stopped',
    (status) => {
      const { ctx, sd } = contextWith(status);
      expect(() => serviceDeploymentOperations.StopServiceDeployment(ctx, { serviceDeploymentArn: sd.arn })).toThrow(
        expect.objectContaining({ type: 'ConflictException' }),
      );
    },
  );
});
