import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { container, createSteadyService, ecsClient, network, register, tasksStartedBy, waitForService } from './support/harness';

// ×0.02: the throttle's first 10 s delay lasts 200 ms, the 40 s wait before an unchecked task counts 800 ms.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.02 });
});
afterAll(async () => {
  await sandbox.stop();
});

const FARGATE_CAPACITY =
  'was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.';
const NO_INSTANCE = 'was unable to place a task because no container instance met all of its requirements.';

const messages = (service: Service) => service.events?.map((e) => e.message ?? '') ?? [];

/** The tasks a deployment created, running or stopped. */
async function tasksOf(ecs: ECSClient, cluster: string, startedBy: string): Promise<string[]> {
  return (await tasksStartedBy(ecs, cluster, startedBy, ['RUNNING', 'STOPPED'])).map((task) => task.taskArn as string);
}

describe('tasks the service scheduler cannot place', () => {
  test('Fargate without capacity: no task starts, ECS says so once, and each task it could not launch trips the circuit breaker', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      cluster: 'fargate',
      service: 'full',
      image: 'full:1',
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: false },
      },
    });
    const restore = sandbox.failPlacement({ cluster });
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: await register(ecs, 'full', [container('full', 'full:2')]) }),
    );
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;

    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    restore();

    // The threshold for 2 desired tasks is 3: reached by tasks that were never launched.
    expect(failed.deployments?.find((d) => d.id === id)).toMatchObject({
      failedTasks: 3,
      runningCount: 0,
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(await tasksOf(ecs, cluster, id)).toEqual([]);
    expect(messages(failed).filter((m) => m === `(service full) ${FARGATE_CAPACITY}`)).toHaveLength(1);
    const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd?.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    // The old revision keeps serving.
    expect(failed.deployments?.find((d) => d.status === 'ACTIVE')?.runningCount).toBe(2);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test("EC2 with no container instance to fit the task: ECS's event with the reason, the throttle logic, and a normal start once capacity returns", async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'ec2' }));
    const reason = 'The closest matching container-instance 0123456789abcdef0123456789abcdef has insufficient memory available.';
    const restore = sandbox.failPlacement({ cluster: 'ec2', reason });
    const taskDefinition = await register(ecs, 'tight', [container('tight', 'tight:1')]);
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'ec2',
        serviceName: 'tight',
        taskDefinition,
        desiredCount: 1,
        launchType: 'EC2',
        networkConfiguration: network,
      }),
    );

    const throttled = await waitForService(sandbox, 'ec2', 'tight', (s) =>
      messages(s).includes('(service tight) is unable to consistently start tasks successfully.'),
    );
    expect(messages(throttled)).toContain(`(service tight) ${NO_INSTANCE} ${reason}`);
    expect(throttled.deployments?.[0].failedTasks).toBeGreaterThanOrEqual(3);
    expect(throttled.runningCount).toBe(0);
    expect(await tasksOf(ecs, 'ec2', throttled.deployments?.[0].id as string)).toEqual([]);

    restore();
    const steady = await waitForService(sandbox, 'ec2', 'tight', (s) => s.deployments?.[0].rolloutState === 'COMPLETED');
    expect(steady.runningCount).toBe(1);
    await ecs.send(new UpdateServiceCommand({ cluster: 'ec2', service: 'tight', desiredCount: 0 }));
  });

  test("a capacity provider without capacity leaves the cluster's other launches alone", async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'spot', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
    const restore = sandbox.failPlacement({ cluster: 'spot', capacityProvider: 'FARGATE_SPOT' });
    const taskDefinition = await register(ecs, 'mixed', [container('mixed', 'mixed:1')]);
    const create = (serviceName: string, capacityProvider: string) =>
      ecs.send(
        new CreateServiceCommand({
          cluster: 'spot',
          serviceName,
          taskDefinition,
          desiredCount: 1,
          capacityProviderStrategy: [{ capacityProvider, weight: 1 }],
          networkConfiguration: network,
        }),
      );
    await create('on-spot', 'FARGATE_SPOT');
    await create('on-demand', 'FARGATE');

    const spot = await waitForService(sandbox, 'spot', 'on-spot', (s) => messages(s).includes(`(service on-spot) ${FARGATE_CAPACITY}`));
    const demand = await waitForService(sandbox, 'spot', 'on-demand', (s) => s.deployments?.[0].rolloutState === 'COMPLETED');
    restore();
    expect(spot.runningCount).toBe(0);
    expect(demand.runningCount).toBe(1);
    for (const service of ['on-spot', 'on-demand']) await ecs.send(new UpdateServiceCommand({ cluster: 'spot', service, desiredCount: 0 }));
  });
});
