import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { createTargetGroup } from '../../../test/support/load-balancer';
import { container, createSteadyService, describeService, ecsClient, network, waitForService } from './support/harness';

// UpdateService's service settings (enableExecuteCommand, propagateTags, enableECSManagedTags,
// healthCheckGracePeriodSeconds): validated and stored as ECS does, returned by DescribeServices, starting no
// deployment ("This parameter doesn't trigger a new service deployment", UpdateService, API reference), taken by the
// tasks started afterwards, and refused under the CODE_DEPLOY controller where UpdateService does not take them.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(async () => sandbox.stop());

async function withTaskRole(family: string, image: string): Promise<string> {
  const answer = await ecsClient(sandbox).send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      taskRoleArn: 'arn:aws:iam::000000000000:role/app',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: [container(family, image)],
    }),
  );
  return answer.taskDefinition?.taskDefinitionArn as string;
}

describe('UpdateService service settings', () => {
  test('are stored and described, start no deployment, and only tasks started afterwards get ECS Exec', async () => {
    const { ecs, cluster, service, taskDefinitionArn } = await createSteadyService(sandbox, { service: 'settings', image: 'web:1' });
    const withRole = await withTaskRole('settings', 'web:1');
    await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: withRole }));
    const settled = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
    );
    expect(withRole).not.toBe(taskDefinitionArn);

    await ecs.send(
      new UpdateServiceCommand({
        cluster,
        service,
        enableExecuteCommand: true,
        propagateTags: 'SERVICE',
        enableECSManagedTags: true,
        healthCheckGracePeriodSeconds: 2_147_483_647,
      }),
    );

    const live = await describeService(sandbox, cluster, service);
    expect(live.deployments?.map((d) => d.id)).toEqual(settled.deployments?.map((d) => d.id));
    expect([live.enableExecuteCommand, live.propagateTags, live.enableECSManagedTags, live.healthCheckGracePeriodSeconds]).toEqual([
      true,
      'SERVICE',
      true,
      2_147_483_647,
    ]);
    const running = async () => {
      const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service }));
      return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns, include: ['TAGS'] }))).tasks ?? [];
    };
    expect((await running()).map((task) => [task.enableExecuteCommand, task.tags])).toEqual([
      [false, []],
      [false, []],
    ]);
    // propagateTags SERVICE: the service's tags, then the managed ones, on the tasks launched from now on.
    await ecs.send(new TagResourceCommand({ resourceArn: live.serviceArn, tags: [{ key: 'team', value: 'payments' }] }));
    await ecs.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
    await waitForService(
      sandbox,
      cluster,
      service,
      (s) =>
        s.deployments?.length === 1 && s.deployments[0].id !== settled.deployments?.[0].id && s.deployments[0].rolloutState === 'COMPLETED',
    );
    const managed = [
      { key: 'team', value: 'payments' },
      { key: 'aws:ecs:clusterName', value: cluster },
      { key: 'aws:ecs:serviceName', value: service },
    ];
    expect((await running()).map((task) => [task.enableExecuteCommand, task.tags])).toEqual([
      [true, managed],
      [true, managed],
    ]);
  });

  test('an update that does not name a setting leaves it as it is', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'nulls', image: 'web:1' });
    await ecs.send(new UpdateServiceCommand({ cluster, service, propagateTags: 'TASK_DEFINITION' }));
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 1 }));
    expect((await describeService(sandbox, cluster, service)).propagateTags).toBe('TASK_DEFINITION');
  });

  test.each([
    ['an unknown propagateTags', { propagateTags: 'ALL' as never }, /Invalid propagateTags value: ALL/],
    [
      'a negative grace period',
      { healthCheckGracePeriodSeconds: -1 },
      /healthCheckGracePeriodSeconds must be an integer from 0 to 2147483647/,
    ],
    ['a grace period above the maximum', { healthCheckGracePeriodSeconds: 2_147_483_648 }, /from 0 to 2147483647/],
    ['ECS Exec without a task role', { enableExecuteCommand: true }, /a valid taskRoleArn is not being used/],
  ])('%s is InvalidParameterException, and nothing changes', async (_name, input, message) => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: `bad-${Math.random().toString(36).slice(2, 8)}`,
      image: 'web:1',
    });
    const error = await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 3, ...input })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(message);
    const live = await describeService(sandbox, cluster, service);
    expect([live.desiredCount, live.propagateTags, live.healthCheckGracePeriodSeconds, live.enableExecuteCommand]).toEqual([
      2,
      'NONE',
      undefined,
      false,
    ]);
  });

  test('under CODE_DEPLOY, enableExecuteCommand is refused and the tags options and grace period are taken', async () => {
    const ecs = ecsClient(sandbox);
    const taskDefinition = await withTaskRole('cd-settings', 'web:1');
    const { targetGroupArn } = await createTargetGroup(sandbox, 'cd-settings-blue');
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'test',
        serviceName: 'cd-settings',
        taskDefinition,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn, containerName: 'cd-settings', containerPort: 8080 }],
      }),
    );
    const refused = await ecs
      .send(new UpdateServiceCommand({ cluster: 'test', service: 'cd-settings', enableExecuteCommand: true }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect((refused as Error).message).toContain(
      'Unable to update enableExecuteCommand on services with a CODE_DEPLOY deployment controller',
    );
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'test', service: 'cd-settings', propagateTags: 'SERVICE', healthCheckGracePeriodSeconds: 60 }),
    );
    const live = await describeService(sandbox, 'test', 'cd-settings');
    expect([live.propagateTags, live.healthCheckGracePeriodSeconds, live.enableExecuteCommand]).toEqual(['SERVICE', 60, false]);
  });
});
