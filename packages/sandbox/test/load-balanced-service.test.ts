import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { createTargetGroup } from '../../../test/support/load-balancer';
import { container, ecsClient, elbClient, network, register, waitFor, waitForService } from './support/harness';

// Services behind the sandbox's load balancer, with tasks that are real processes of a small HTTP program:
// `/health` answers HEALTH_STATUS (default 200), `/slow?ms=N` answers after N ms, and SIGTERM lets the
// requests in flight finish before the process exits, as a well-behaved service does.
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const WEB = `${REGISTRY}/web`;
const PROGRAM = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/health') return res.writeHead(Number(process.env.HEALTH_STATUS || 200)).end();
  setTimeout(() => res.end(process.env.IMAGE_TAG), Number(url.searchParams.get('ms') || 0));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
const CLUSTER = 'lb';
let sandbox: Sandbox;

beforeAll(async () => {
  // ×0.1: health checks every 0.5 s, a 20 s deregistration delay lasts 2 s, a 50 s grace period 5 s.
  sandbox = await start({ timeScale: 0.1, catalog: { [WEB]: { entryPoint: ['node', '-e'], command: [PROGRAM] } } });
  await ecsClient(sandbox).send(new CreateClusterCommand({ clusterName: CLUSTER }));
});
afterAll(async () => {
  await sandbox.stop();
});

const targetGroup = async (name: string) => (await createTargetGroup(sandbox, name)).targetGroupArn;

const web = (name: string, tag: string, extra: Partial<ContainerDefinition> = {}) => container(name, `${WEB}:${tag}`, extra);

async function service(
  name: string,
  targetGroupArn: string,
  extra: { grace?: number; containers?: ContainerDefinition[]; desiredCount?: number } = {},
) {
  const ecs = ecsClient(sandbox);
  const taskDefinition = await register(ecs, name, extra.containers ?? [web(name, 'v1')]);
  await ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: name,
      taskDefinition,
      desiredCount: extra.desiredCount ?? 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
      loadBalancers: [{ targetGroupArn, containerName: name, containerPort: 8080 }],
      healthCheckGracePeriodSeconds: extra.grace,
    }),
  );
  return taskDefinition;
}

async function tasks(name: string): Promise<Task[]> {
  const ecs = ecsClient(sandbox);
  const arns = [
    ...((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: name }))).taskArns ?? []),
    ...((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: name, desiredStatus: 'STOPPED' }))).taskArns ?? []),
  ];
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
}

const targetStates = async (arn: string) =>
  ((await elbClient(sandbox).send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? []).map((d) => ({
    port: d.Target?.Port,
    state: d.TargetHealth?.State,
  }));

describe('a service behind a load balancer', () => {
  test('CreateService refuses a missing target group, container or port before creating anything', async () => {
    const ecs = ecsClient(sandbox);
    const arn = await targetGroup('checks');
    const taskDefinition = await register(ecs, 'checks', [web('checks', 'v1')]);
    const create = (loadBalancers: Array<{ targetGroupArn: string; containerName: string; containerPort: number }>) =>
      ecs.send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: 'checks',
          taskDefinition,
          desiredCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: network,
          loadBalancers,
        }),
      );
    await expect(create([{ targetGroupArn: `${arn}0`, containerName: 'checks', containerPort: 8080 }])).rejects.toThrow(
      /target group .* does not exist/,
    );
    await expect(create([{ targetGroupArn: arn, containerName: 'other', containerPort: 8080 }])).rejects.toThrow(
      'The container other does not exist in the task definition.',
    );
    const wrongPort = create([{ targetGroupArn: arn, containerName: 'checks', containerPort: 9090 }]);
    await expect(wrongPort).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(wrongPort).rejects.toThrow('The container checks did not have a container port 9090 defined.');
    expect((await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['checks'] }))).services).toEqual([]);
  });

  test.each([
    [
      'renamed the load-balanced container',
      'renamed',
      [web('other', 'v2')],
      'The container renamed does not exist in the task definition.',
    ],
    [
      'dropped its port mapping',
      'noport',
      [web('noport', 'v2', { portMappings: [{ containerPort: 9090 }] })],
      'The container noport did not have a container port 8080 defined.',
    ],
  ])(
    "UpdateService to a revision that %s is refused with ECS's InvalidParameterException, and nothing changes",
    async (_what, name, containers, message) => {
      const ecs = ecsClient(sandbox);
      await service(name, await targetGroup(name));
      const before = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services?.[0];
      const broken = await register(ecs, name, containers);

      const update = ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: name, taskDefinition: broken }));

      await expect(update).rejects.toBeInstanceOf(InvalidParameterException);
      await expect(update).rejects.toThrow(message);
      const after = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services?.[0];
      expect(after?.taskDefinition).toBe(before?.taskDefinition);
      expect(after?.deployments?.map((d) => [d.id, d.taskDefinition])).toEqual(before?.deployments?.map((d) => [d.id, d.taskDefinition]));
      await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: name, desiredCount: 0 }));
    },
  );

  test('each task is registered as 127.0.0.1:PORT once RUNNING, and the rollout completes only when its targets are healthy', async () => {
    const arn = await targetGroup('register');
    await service('register', arn, { desiredCount: 2 });
    const steady = await waitForService(sandbox, CLUSTER, 'register', (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
    expect(steady.runningCount).toBe(2);
    const ports = (await tasks('register')).map((t) => t.containers?.[0]?.networkBindings?.[0]?.hostPort).sort();
    const states = (await targetStates(arn)).sort((a, b) => Number(a.port) - Number(b.port));
    expect(states).toEqual(ports.map((port) => ({ port, state: 'healthy' })));
    // Counted healthy on the target's first passed check, well before the 4 s (40 s × 0.1) an unchecked
    // task would wait; the grace-period test below shows an unhealthy target keeps a task from counting.
    const healthy = sandbox.history.filter((e) => e.kind === 'task-healthy' && e.serviceName === 'register');
    const started = sandbox.history.filter((e) => e.kind === 'task-started' && e.serviceName === 'register');
    expect(healthy).toHaveLength(2);
    for (const event of healthy) expect(event.at - (started.find((s) => s.taskArn === event.taskArn)?.at as number)).toBeLessThan(3000);
  });

  test('ECS deregisters a task before stopping it: DEACTIVATING while it drains, a slow request in flight completes, then SIGTERM', async () => {
    const arn = await targetGroup('drain');
    await service('drain', arn);
    await waitForService(sandbox, CLUSTER, 'drain', (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
    const [task] = await tasks('drain');
    const url = sandbox.loadBalancerUrl(arn);

    const slow = fetch(`${url}/slow?ms=1000`).then(async (r) => ({ status: r.status, text: await r.text() }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedAt = Date.now();
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'drain', desiredCount: 0 }));
    const deactivating = await waitFor('DEACTIVATING', async () =>
      (await tasks('drain'))[0]?.lastStatus === 'DEACTIVATING' ? true : undefined,
    );
    expect(deactivating).toBe(true);
    expect(await targetStates(arn)).toEqual([{ port: task.containers?.[0]?.networkBindings?.[0]?.hostPort, state: 'draining' }]);
    // No new request reaches the draining task.
    expect((await fetch(`${url}/`)).status).toBe(503);
    await expect(slow).resolves.toEqual({ status: 200, text: 'v1' });

    const stopped = await waitFor('STOPPED', async () => {
      const [t] = await tasks('drain');
      return t?.lastStatus === 'STOPPED' ? t : undefined;
    });
    // The container stopped after the 2 s drain, cleanly (exit 0 on SIGTERM), not killed with the request.
    expect((stopped.stoppedAt as Date).getTime() - stoppedAt).toBeGreaterThanOrEqual(1800);
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
    expect(await targetStates(arn)).toEqual([]);
    const events =
      (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['drain'] }))).services?.[0]?.events ?? [];
    expect(events.map((e) => e.message).reverse()).toEqual(
      expect.arrayContaining([
        `(service drain) registered 1 targets in (target-group ${arn})`,
        '(service drain) has begun draining connections on 1 tasks.',
        `(service drain) deregistered 1 targets in (target-group ${arn})`,
      ]),
    );
  });

  test("a task whose target fails its health checks is replaced only after the grace period, with ECS's awsvpc event", async () => {
    const arn = await targetGroup('grace');
    await service('grace', arn, {
      grace: 50,
      containers: [web('grace', 'v1', { environment: [{ name: 'HEALTH_STATUS', value: '500' }] })],
    });
    const replaced = await waitFor(
      'a task stopped for failing ELB health checks',
      async () =>
        (await tasks('grace')).find((t) => t.lastStatus === 'STOPPED' && t.stoppedReason?.startsWith('Task failed ELB health checks')),
      30_000,
    );
    expect(replaced.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${arn})`);
    expect(replaced.stopCode).toBe('ServiceSchedulerInitiated');
    // Unhealthy after two failed checks (about 1 s), but left alone for the 5 s grace period; and never
    // counted healthy, although an unchecked task would have counted after 4 s.
    expect((replaced.stoppingAt as Date).getTime() - (replaced.startedAt as Date).getTime()).toBeGreaterThanOrEqual(4900);
    expect(sandbox.history.filter((e) => e.kind === 'task-healthy' && e.serviceName === 'grace')).toEqual([]);
    const events =
      (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['grace'] }))).services?.[0]?.events ?? [];
    const port = replaced.containers?.[0]?.networkBindings?.[0]?.hostPort;
    // An awsvpc task is its own target: ECS names the task and port, and no instance ("Amazon ECS service
    // unhealthy event messages", developer guide).
    const taskId = replaced.taskArn?.split('/').pop();
    expect(events.map((e) => e.message)).toContain(
      `(service grace) (task ${taskId}) (port ${port}) is unhealthy in (target-group ${arn}) due to (reason Health checks failed with these codes: [500]).`,
    );
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'grace', desiredCount: 0 }));
  });

  test("a bridge-mode task on a container instance that fails its target health checks gets ECS's EC2 event, naming the instance", async () => {
    const ecs = ecsClient(sandbox);
    // Bridge-mode tasks register as instance targets (developer guide, "Use load balancing to distribute Amazon
    // ECS service traffic").
    const group = await elbClient(sandbox).send(
      new CreateTargetGroupCommand({
        Name: 'bridge',
        Protocol: 'HTTP',
        Port: 8080,
        TargetType: 'instance',
        VpcId: 'vpc-0a1b2c3d',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        UnhealthyThresholdCount: 2,
      }),
    );
    const arn = group.TargetGroups?.[0]?.TargetGroupArn as string;
    await elbClient(sandbox).send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }],
      }),
    );
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bridge',
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [
          {
            ...web('bridge', 'v1', { environment: [{ name: 'HEALTH_STATUS', value: '500' }] }),
            memory: 256,
            portMappings: [{ containerPort: 8080, hostPort: 0 }],
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'bridge',
        taskDefinition: registered.taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'EC2',
        loadBalancers: [{ targetGroupArn: arn, containerName: 'bridge', containerPort: 8080 }],
      }),
    );
    const replaced = await waitFor('a task stopped for failing ELB health checks', async () =>
      (await tasks('bridge')).find((t) => t.stoppedReason?.startsWith('Task failed ELB health checks')),
    );
    const events = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['bridge'] }))).services?.[0]?.events ?? [];
    const port = replaced.containers?.[0]?.networkBindings?.[0]?.hostPort;
    // The sandbox has no container instances: its target is the loopback address, which stands in for one.
    expect(events.map((e) => e.message)).toContain(
      `(service bridge) (task ${replaced.taskArn?.split('/').pop()}) (instance 127.0.0.1) (port ${port}) is unhealthy in (target-group ${arn}) due to (reason Health checks failed with these codes: [500]).`,
    );
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'bridge', desiredCount: 0 }));
  });
});

describe('seeding', () => {
  const seed = (targetGroupName: string) => ({
    clusters: ['seeded'],
    taskDefinitions: [
      { family: 'site', containerDefinitions: [{ name: 'site', image: `${WEB}:v7`, portMappings: [{ containerPort: 8080 }] }] },
    ],
    targetGroups: [
      {
        Name: 'site',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-1',
        TargetType: 'ip',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }],
      },
    ],
    services: [
      {
        cluster: 'seeded',
        serviceName: 'site',
        taskDefinition: 'site',
        desiredCount: 1,
        loadBalancers: [{ targetGroupName, containerName: 'site', containerPort: 8080 }],
      },
    ],
  });

  test('a seed creates target groups with their attributes, and services name them by targetGroupName', async () => {
    const announced: string[] = [];
    const seeded = await start({
      timeScale: 0.1,
      catalog: { [WEB]: { entryPoint: ['node', '-e'], command: [PROGRAM] } },
      seed: seed('site'),
      onLoadBalancer: (lb) => announced.push(lb.targetGroupName),
    });
    try {
      const arn = seeded.targetGroupArn('site') as string;
      expect(announced).toEqual(['site']);
      const url = seeded.loadBalancerUrl(arn);
      const answer = await waitFor('the seeded service behind its load balancer', async () => {
        const response = await fetch(url).catch(() => undefined);
        return response?.status === 200 ? response.text() : undefined;
      });
      expect(answer).toBe('v7');
    } finally {
      await seeded.stop();
    }
  });

  test('a seed naming a target group it does not create is refused', async () => {
    await expect(start({ seed: seed('absent') })).rejects.toThrow(
      'seed: service site names target group absent, which the seed does not create',
    );
  });
});
