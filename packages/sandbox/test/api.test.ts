import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ClientException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { container, createSteadyService, ecsClient, network, register, waitForService } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.025, accountId: '123456789012', region: 'eu-west-1' });
});
afterAll(async () => {
  await sandbox.stop();
});

describe('clusters', () => {
  test('CreateCluster is idempotent; DescribeClusters reports unknown clusters as MISSING', async () => {
    const ecs = ecsClient(sandbox);
    const created = await ecs.send(new CreateClusterCommand({ clusterName: 'alpha', tags: [{ key: 'team', value: 'core' }] }));
    expect(created.cluster).toMatchObject({
      clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/alpha',
      clusterName: 'alpha',
      status: 'ACTIVE',
      runningTasksCount: 0,
    });
    await ecs.send(new CreateClusterCommand({ clusterName: 'alpha' }));
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['alpha', 'beta'], include: ['TAGS'] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['alpha']);
    expect(described.clusters?.[0].tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/beta', reason: 'MISSING' }]);
  });
});

describe('task definitions', () => {
  const fargate = {
    networkMode: 'awsvpc' as const,
    requiresCompatibilities: ['FARGATE' as const],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  };

  test('RegisterTaskDefinition numbers revisions per family and returns what ECS computes', async () => {
    const ecs = ecsClient(sandbox);
    const first = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        ...fargate,
        containerDefinitions: [container('api', 'api:1', { healthCheck: { command: ['CMD', 'true'] } })],
        tags: [{ key: 'owner', value: 'payments' }],
      }),
    );
    const definition = first.taskDefinition;
    expect(definition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api:1',
      family: 'api',
      revision: 1,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      registeredBy: 'arn:aws:iam::123456789012:root',
      volumes: [],
      placementConstraints: [],
    });
    expect(definition?.registeredAt).toBeInstanceOf(Date);
    expect(Math.abs((definition?.registeredAt?.getTime() ?? 0) - Date.now())).toBeLessThan(5000);
    expect(definition?.requiresAttributes?.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        'ecs.capability.task-eni',
        'com.amazonaws.ecs.capability.logging-driver.awslogs',
        'ecs.capability.container-health-check',
      ]),
    );
    expect(definition?.containerDefinitions?.[0]).toMatchObject({
      cpu: 0,
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
    });
    expect(first.tags).toEqual([{ key: 'owner', value: 'payments' }]);

    const second = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'api', ...fargate, containerDefinitions: [container('api', 'api:2')] }),
    );
    expect(second.taskDefinition?.revision).toBe(2);
    const other = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'api-worker', ...fargate, containerDefinitions: [container('w', 'w:1')] }),
    );
    expect(other.taskDefinition?.revision).toBe(1);

    // By family (latest ACTIVE), family:revision and ARN; tags only when asked for.
    const byFamily = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api' }));
    expect(byFamily.taskDefinition?.revision).toBe(2);
    expect(byFamily.tags).toBeUndefined();
    const byRevision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api:1', include: ['TAGS'] }));
    expect(byRevision.tags).toEqual([{ key: 'owner', value: 'payments' }]);
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: definition?.taskDefinitionArn }));
    expect(byArn.taskDefinition?.containerDefinitions?.[0].image).toBe('api:1');

    // familyPrefix selects the family exactly; sort and status filter.
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'api' }));
    expect(listed.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['api:1', 'api:2']);
    const deregistered = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'api:2' }));
    expect(deregistered.taskDefinition).toMatchObject({ status: 'INACTIVE' });
    expect(deregistered.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api' }))).taskDefinition?.revision).toBe(1);
    expect(
      (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'api' }))).taskDefinitionArns?.map((a) => a.split('/')[1]),
    ).toEqual(['api:1']);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'api', status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['api:2']);
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', ...fargate, containerDefinitions: [container('api', 'api:3')] }));
    const newestFirst = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'api', sort: 'DESC' }));
    expect(newestFirst.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['api:3', 'api:1']);
    await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' }))).rejects.toThrow(
      'Unable to describe task definition.',
    );
  });

  test('a health check given only its command comes back with the defaults ECS fills in, without startPeriod', async () => {
    const ecs = ecsClient(sandbox);
    const command = ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'];
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'checked',
        ...fargate,
        containerDefinitions: [container('app', 'app:1', { healthCheck: { command } })],
      }),
    );
    const echoed = { command, interval: 30, timeout: 5, retries: 3 };
    expect(registered.taskDefinition?.containerDefinitions?.[0].healthCheck).toEqual(echoed);
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'checked:1' }));
    expect(described.taskDefinition?.containerDefinitions?.[0].healthCheck).toEqual(echoed);
  });

  test('a health check keeps the values it was given', async () => {
    const healthCheck = { command: ['CMD', '/check'], interval: 10, timeout: 2, retries: 5, startPeriod: 15 };
    const registered = await ecsClient(sandbox).send(
      new RegisterTaskDefinitionCommand({
        family: 'checked-custom',
        ...fargate,
        containerDefinitions: [container('app', 'app:1', { healthCheck })],
      }),
    );
    expect(registered.taskDefinition?.containerDefinitions?.[0].healthCheck).toEqual(healthCheck);
  });

  test.each([
    ['no family', { family: '', containerDefinitions: [{ name: 'a', image: 'a' }] }, 'Family can not be blank.'],
    ['no containers', { family: 'x', containerDefinitions: [] }, 'Container list cannot be empty.'],
    [
      'a bad container name',
      { family: 'x', containerDefinitions: [{ name: 'a b', image: 'a' }] },
      'Container.name contains invalid characters.',
    ],
    [
      'duplicate names',
      {
        family: 'x',
        containerDefinitions: [
          { name: 'a', image: 'a' },
          { name: 'a', image: 'b' },
        ],
      },
      'Duplicate container names are not allowed.',
    ],
    [
      'no essential container',
      { family: 'x', containerDefinitions: [{ name: 'a', image: 'a', essential: false }] },
      'A task definition must have at least one essential container.',
    ],
    [
      'awslogs on Fargate without an execution role',
      {
        family: 'x',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [container('a', 'a')],
      },
      'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
    ],
  ])('rejects %s with ClientException', async (_name, input, message) => {
    const error = await ecsClient(sandbox)
      .send(new RegisterTaskDefinitionCommand(input as never))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientException);
    expect((error as Error).message).toBe(message);
  });
});

describe('services', () => {
  test('DescribeServices returns known services and lists the others as MISSING', async () => {
    const { cluster } = await createSteadyService(sandbox, { cluster: 'svc', service: 'known', image: 'known:1', desiredCount: 1 });
    const answer = await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster, services: ['known', 'unknown'] }));
    expect(answer.services?.map((s) => s.serviceName)).toEqual(['known']);
    expect(answer.services?.[0]).toMatchObject({
      serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/svc/known',
      clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/svc',
      status: 'ACTIVE',
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: false, rollback: false },
      },
      networkConfiguration: network,
    });
    expect(answer.failures).toEqual([{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/svc/unknown', reason: 'MISSING' }]);
    const listed = await ecsClient(sandbox).send(new ListServicesCommand({ cluster }));
    expect(listed.serviceArns).toEqual(['arn:aws:ecs:eu-west-1:123456789012:service/svc/known']);
  });

  // A CODE_DEPLOY service with its load balancer, and UpdateService's refusal there: codedeploy-groups.test.ts.
  test('a CODE_DEPLOY service without a load balancer target group is refused, as the API reference requires one', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'bg-nolb' }));
    const arn = await register(ecs, 'bg-nolb', [container('bg', 'bg:1')]);
    const refused = ecs.send(
      new CreateServiceCommand({
        cluster: 'bg-nolb',
        serviceName: 'bg-nolb',
        taskDefinition: arn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentController: { type: 'CODE_DEPLOY' },
      }),
    );
    await expect(refused).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(refused).rejects.toThrow(
      /CODE_DEPLOY deployment controller requires an Application Load Balancer or Network Load Balancer/,
    );
  });

  test('EXTERNAL services are accepted, but UpdateService cannot deploy them', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'bg' }));
    const arn = await register(ecs, 'bg', [container('bg', 'bg:1')]);
    for (const type of ['EXTERNAL'] as const) {
      const created = await ecs.send(
        new CreateServiceCommand({
          cluster: 'bg',
          serviceName: `bg-${type}`,
          taskDefinition: arn,
          desiredCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: network,
          deploymentController: { type },
        }),
      );
      expect(created.service?.deploymentController).toEqual({ type });
      expect(created.service?.deployments).toEqual([]);
      const refused = ecs.send(new UpdateServiceCommand({ cluster: 'bg', service: `bg-${type}`, taskDefinition: arn }));
      await expect(refused).rejects.toBeInstanceOf(InvalidParameterException);
      await expect(refused).rejects.toThrow(`Unable to update task definition on services with a ${type} deployment controller.`);
    }
  });

  test('creating a service twice is not idempotent; deleting needs desiredCount 0 or force', async () => {
    const { ecs, cluster, service, taskDefinitionArn } = await createSteadyService(sandbox, {
      cluster: 'del',
      service: 'gone',
      image: 'gone:1',
      desiredCount: 1,
    });
    const again = ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: service,
        taskDefinition: taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    await expect(again).rejects.toThrow('Creation of service was not idempotent.');
    await expect(ecs.send(new DeleteServiceCommand({ cluster, service }))).rejects.toThrow(
      'The service cannot be stopped while it is scaled above 0.',
    );
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster, service, force: true }));
    expect(deleted.service?.status).toBe('DRAINING');
    const inactive = await waitForService(sandbox, cluster, service, (s) => s.status === 'INACTIVE');
    expect(inactive.runningCount).toBe(0);
    await expect(ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 1 }))).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
    });
  });

  test('tags can be added to and listed for a service', async () => {
    const ecs = ecsClient(sandbox);
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:service/svc/known';
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'prod' }] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'env', value: 'prod' }]);
    const described = await ecs.send(new DescribeServicesCommand({ cluster: 'svc', services: [arn], include: ['TAGS'] }));
    expect(described.services?.[0].tags).toEqual([{ key: 'env', value: 'prod' }]);
  });
});

describe('seed', () => {
  test("seed state goes through the API's own code paths, from options or later", async () => {
    const seeded = await start({
      timeScale: 0.025,
      seed: {
        clusters: ['seeded'],
        taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'web:1' }] }],
        services: [{ cluster: 'seeded', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 }],
      },
    });
    try {
      const steady = await waitForService(seeded, 'seeded', 'web', (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
      expect(steady.runningCount).toBe(2);
      expect(steady.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
      await seeded.seed({ taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: 'web:2' }] }] });
      const latest = await ecsClient(seeded).send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
      expect(latest.taskDefinition?.revision).toBe(2);
      // Invalid seed state fails as the API would.
      await expect(seeded.seed({ taskDefinitions: [{ family: 'bad', containerDefinitions: [] }] })).rejects.toThrow(
        'Container list cannot be empty.',
      );
    } finally {
      await seeded.stop();
    }
  });
});
