import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { circuitBreakerThreshold, start, type Sandbox } from '../src/index';
import {
  container,
  createSteadyService,
  describeService,
  ecsClient,
  logsClient,
  network,
  register,
  tasksStartedBy,
  waitFor,
  waitForService,
} from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.025 });
});
afterAll(async () => {
  await sandbox.stop();
});

const breaker = (rollback: boolean) => ({
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  deploymentCircuitBreaker: { enable: true, rollback },
});
/**
 * A container health check: a task that has one and crashes before it passes failed a defined health check,
 * which the circuit breaker counts; without one, a task that reached RUNNING ran successfully.
 */
const checked = {
  healthCheck: {
    command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
    interval: 5,
    retries: 2,
    timeout: 2,
    startPeriod: 0,
  },
};

function stoppedTasksOf(ecs: Awaited<ReturnType<typeof createSteadyService>>['ecs'], cluster: string, startedBy: string): Promise<Task[]> {
  return tasksStartedBy(ecs, cluster, startedBy);
}

describe('circuit breaker threshold', () => {
  test('is 0.5 × desired count rounded up, between 3 and 200', () => {
    expect([1, 2, 6, 7, 25, 400, 800].map((desired) => circuitBreakerThreshold(desired))).toEqual([3, 3, 3, 4, 13, 200, 200]);
  });

  test.each([
    [2, 3],
    [8, 4],
  ])('with %i desired tasks the deployment FAILS after %i failed tasks', async (desired, threshold) => {
    const name = `threshold${desired}`;
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: name,
      image: `${name}:1`,
      desiredCount: desired,
      deploymentConfiguration: breaker(false),
    });
    const broken = await register(ecs, name, [container(name, `${name}:2`, checked)]);
    sandbox.script(`${name}:2`, { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 100 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    const deployment = failed.deployments?.find((d) => d.id === id);
    expect(deployment?.failedTasks).toBe(threshold);
    expect(deployment?.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd?.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: threshold, threshold });
    // Without rollback the service deployment stops and ECS keeps the old tasks serving.
    expect(sd?.status).toBe('STOPPED');
    expect(sd?.stoppedAt).toBeInstanceOf(Date);
    expect(failed.deployments?.find((d) => d.status === 'ACTIVE')?.runningCount).toBe(desired);
    // A FAILED deployment launches no new tasks.
    const launched = (await stoppedTasksOf(ecs, cluster, id)).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stoppedTasksOf(ecs, cluster, id)).length).toBe(launched);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });
});

describe('a crash loop', () => {
  test('with a health check, circuit breaker and rollback: FAILED, rolled back, and steady on the old revision', async () => {
    const {
      ecs,
      cluster,
      service,
      taskDefinitionArn: good,
    } = await createSteadyService(sandbox, { service: 'cart', image: 'cart:1', deploymentConfiguration: breaker(true) });
    const before = await describeService(sandbox, cluster, service);
    const goodDeployment = before.deployments?.[0].id as string;
    const broken = await register(ecs, 'cart', [container('cart', 'cart:2', checked)]);
    sandbox.script('cart:2', { kind: 'exit', exitCode: 3, afterMs: 300, logs: ['starting cart v2', 'Error: DATABASE_URL is required'] });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const failedId = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;

    const rolling = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === failedId)?.rolloutState === 'FAILED',
    );
    const failed = rolling.deployments?.find((d) => d.id === failedId);
    expect(failed).toMatchObject({
      status: 'ACTIVE',
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    const rollback = rolling.deployments?.find((d) => d.status === 'PRIMARY');
    expect(rollback?.id).not.toBe(goodDeployment);
    expect(rollback).toMatchObject({
      taskDefinition: good,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${goodDeployment}.`,
    });
    const messages = rolling.events?.map((e) => e.message) ?? [];
    expect(messages).toContain(`(service cart) (deployment ${failedId}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service cart) rolling back to deployment ${goodDeployment}.`);
    expect(messages.indexOf(`(service cart) rolling back to deployment ${goodDeployment}.`)).toBeLessThan(
      messages.indexOf(`(service cart) (deployment ${failedId}) deployment failed: tasks failed to start.`),
    );

    const settled = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
    );
    expect(settled.taskDefinition).toBe(good);
    expect(settled.deployments?.[0].id).toBe(rollback?.id);
    expect(settled.runningCount).toBe(2);
    expect(settled.events?.[0].message).toBe('(service cart) has reached a steady state.');

    // The crashed tasks say why they stopped.
    const crashed = await stoppedTasksOf(ecs, cluster, failedId);
    const exited = crashed.filter((t) => t.stopCode === 'EssentialContainerExited');
    expect(exited.length).toBeGreaterThanOrEqual(3);
    for (const task of exited) {
      expect(task.stoppedReason).toBe('Essential container in task exited');
      expect(task.containers?.[0]).toMatchObject({ name: 'cart', exitCode: 3, lastStatus: 'STOPPED' });
      expect(task.startedAt).toBeInstanceOf(Date);
      expect(task.stoppedAt).toBeInstanceOf(Date);
    }
    // Their log lines are in the awslogs stream.
    const id = exited[0].taskArn?.split('/').pop();
    const logs = await logsClient(sandbox).send(
      new GetLogEventsCommand({ logGroupName: '/ecs/cart', logStreamName: `ecs/cart/${id}`, startFromHead: true }),
    );
    expect(logs.events?.map((e) => e.message)).toEqual(expect.arrayContaining(['starting cart v2', 'Error: DATABASE_URL is required']));

    // One service deployment tells the whole story.
    const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'TRIGGERED', threshold: 3, failureCount: 3 },
    });
    expect(sd?.rollback?.serviceRevisionArn).toBe(sd?.sourceServiceRevisions?.[0].arn);
    expect(sd?.rollback?.startedAt).toBeInstanceOf(Date);

    const kinds = sandbox.history.filter((e) => e.serviceName === 'cart').map((e) => e.kind);
    expect(kinds.indexOf('circuit-breaker-tripped')).toBeLessThan(kinds.indexOf('rollback-started'));
    expect(sandbox.history.find((e) => e.kind === 'rollback-started' && e.serviceName === 'cart')).toMatchObject({
      deploymentId: failedId,
      rollbackDeploymentId: rollback?.id,
    });
  });

  test('a rollback whose own tasks crash ends ROLLBACK_FAILED, with no second rollback', async () => {
    const {
      ecs,
      cluster,
      service,
      taskDefinitionArn: good,
    } = await createSteadyService(sandbox, {
      service: 'till',
      image: 'till:1',
      containers: [container('till', 'till:1', checked)],
      deploymentConfiguration: breaker(true),
    });
    const goodDeployment = (await describeService(sandbox, cluster, service)).deployments?.[0].id as string;
    const broken = await register(ecs, 'till', [container('till', 'till:2', checked)]);
    sandbox.script('till:2', { kind: 'exit', exitCode: 3, afterMs: 100 });
    // What made the good revision good is gone too (say, a secret it reads was deleted): its new tasks crash.
    sandbox.script('till:1', { kind: 'exit', exitCode: 4, afterMs: 100 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const failedId = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;

    const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
    const sdArn = latest.serviceDeploymentArn as string;
    const describeSd = async () =>
      (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sdArn] }))).serviceDeployments?.[0];
    await waitFor('the service deployment to end ROLLBACK_FAILED', async () =>
      (await describeSd())?.status === 'ROLLBACK_FAILED' ? true : undefined,
    );
    // Long enough, in ECS time, for several more rollbacks if the breaker looped.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const after = await describeService(sandbox, cluster, service);
    const rollback = after.deployments?.find((d) => d.status === 'PRIMARY');
    expect(rollback?.id).not.toBe(failedId);
    expect(rollback).toMatchObject({
      taskDefinition: good,
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(after.deployments?.find((d) => d.id === failedId)).toMatchObject({ rolloutState: 'FAILED' });
    // The good deployment (its tasks still serve), the failed one and its one rollback: nothing more was started.
    expect(after.deployments?.map((d) => d.id).sort()).toEqual([goodDeployment, failedId, rollback?.id].sort());
    expect(after.deployments?.find((d) => d.id === goodDeployment)).toMatchObject({ status: 'ACTIVE', runningCount: 2 });
    const started = sandbox.history.filter((e) => e.serviceName === 'till' && e.kind === 'rollback-started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ deploymentId: failedId, rollbackDeploymentId: rollback?.id });
    const messages = after.events?.map((e) => e.message) ?? [];
    expect(messages).toContain(`(service till) (deployment ${rollback?.id}) deployment failed: tasks failed to start.`);
    expect(messages.filter((m) => m?.startsWith('(service till) rolling back to deployment'))).toHaveLength(1);

    const sd = await describeSd();
    expect(sd).toMatchObject({ status: 'ROLLBACK_FAILED', deploymentCircuitBreaker: { status: 'TRIGGERED' } });
    expect(sd?.statusReason).toBe(
      `ECS deployment circuit breaker: tasks failed to start while rolling back to deploymentId ${goodDeployment}.`,
    );
    expect(sd?.finishedAt).toBeInstanceOf(Date);
    const listed =
      (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status: ['ROLLBACK_FAILED'] }))).serviceDeployments ?? [];
    expect(listed.map((d) => d.serviceDeploymentArn)).toEqual([sdArn]);
    // The rollback's crashed tasks are the good revision's, started by the rollback deployment.
    const crashed = await stoppedTasksOf(ecs, cluster, rollback?.id as string);
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed.every((t) => t.taskDefinitionArn === good && t.containers?.[0].exitCode === 4)).toBe(true);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('without a circuit breaker: failedTasks keeps growing, old tasks keep serving', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'search', image: 'search:1' });
    const broken = await register(ecs, 'search', [container('search', 'search:2', checked)]);
    sandbox.script('search:2', { kind: 'exit', exitCode: 2, startMs: 100, afterMs: 100 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    const crashing = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => (s.deployments?.find((d) => d.id === id)?.failedTasks ?? 0) >= 6,
    );
    expect(crashing.deployments?.find((d) => d.id === id)?.rolloutState).toBe('IN_PROGRESS');
    expect(crashing.deployments?.find((d) => d.status === 'ACTIVE')?.runningCount).toBe(2);
    const stopped = await stoppedTasksOf(ecs, cluster, id);
    expect(stopped.length).toBeGreaterThanOrEqual(6);
    expect(stopped.every((t) => t.containers?.[0].exitCode === 2 && t.stopCode === 'EssentialContainerExited')).toBe(true);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });
});

describe('what the circuit breaker counts', () => {
  test('a crash after RUNNING without a health check is not a failure: the breaker never trips and tasks keep being replaced', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: 'ledger',
      image: 'ledger:1',
      deploymentConfiguration: breaker(true),
    });
    const broken = await register(ecs, 'ledger', [container('ledger', 'ledger:2')]);
    sandbox.script('ledger:2', { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 300 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    // Three times the threshold of 3 crashed: today's ECS would have tripped long before if it counted them.
    const crashed = await waitFor('nine crashed tasks', async () => {
      const found = (await stoppedTasksOf(ecs, cluster, id)).filter((t) => t.stopCode === 'EssentialContainerExited');
      return found.length >= 9 ? found : undefined;
    });
    expect(crashed.every((t) => t.startedAt instanceof Date && t.containers?.[0].exitCode === 1)).toBe(true);
    const after = await describeService(sandbox, cluster, service);
    expect(after.deployments?.find((d) => d.id === id)).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', failedTasks: 0 });
    expect(after.deployments?.find((d) => d.status === 'ACTIVE')?.runningCount).toBe(2);
    const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd).toMatchObject({ status: 'IN_PROGRESS', deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 } });
    expect(sandbox.history.some((e) => e.serviceName === 'ledger' && e.kind === 'circuit-breaker-tripped')).toBe(false);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('the same crash with a container health check that never passed trips it', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: 'journal',
      image: 'journal:1',
      deploymentConfiguration: breaker(false),
    });
    const broken = await register(ecs, 'journal', [container('journal', 'journal:2', checked)]);
    sandbox.script('journal:2', { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 300 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    expect(failed.deployments?.find((d) => d.id === id)).toMatchObject({
      failedTasks: 3,
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('with rollback but no COMPLETED deployment to return to: FAILED, no rollback, the service deployment STOPPED and says why', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'test' }));
    const broken = await register(ecs, 'first', [container('first', 'first:1', checked)]);
    sandbox.script('first:1', { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 300 });
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'test',
        serviceName: 'first',
        taskDefinition: broken,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentConfiguration: breaker(true),
      }),
    );
    const failed = await waitForService(sandbox, 'test', 'first', (s) => s.deployments?.[0]?.rolloutState === 'FAILED');
    expect(failed.deployments).toHaveLength(1);
    expect(failed.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: broken,
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'test', service: 'first' }))).serviceDeployments ?? [];
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd).toMatchObject({ status: 'STOPPED', deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 } });
    expect(sd?.rollback).toBeUndefined();
    expect(sd?.stoppedAt).toBeInstanceOf(Date);
    expect(sd?.statusReason).toBe('ECS deployment circuit breaker: tasks failed to start; no completed deployment to roll back to.');
    expect(sandbox.history.some((e) => e.serviceName === 'first' && e.kind === 'rollback-started')).toBe(false);
    await ecs.send(new UpdateServiceCommand({ cluster: 'test', service: 'first', desiredCount: 0 }));
  });
});

describe('other outcomes', () => {
  test('pending-forever leaves the new tasks PENDING and the deployment IN_PROGRESS', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'queue', image: 'queue:1' });
    const stuck = await register(ecs, 'queue', [container('queue', 'queue:2')]);
    sandbox.script('queue:2', { kind: 'pending-forever' });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: stuck }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    await waitForService(sandbox, cluster, service, (s) => s.deployments?.find((d) => d.id === id)?.pendingCount === 2);
    // 60 s of ECS time: far longer than any start.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await describeService(sandbox, cluster, service);
    expect(later.deployments?.find((d) => d.id === id)).toMatchObject({
      rolloutState: 'IN_PROGRESS',
      pendingCount: 2,
      runningCount: 0,
      failedTasks: 0,
    });
    expect(later.runningCount).toBe(2);
    const arns = (await ecs.send(new ListTasksCommand({ cluster, startedBy: id }))).taskArns ?? [];
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
    expect(tasks.map((t) => t.lastStatus)).toEqual(['PENDING', 'PENDING']);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('cannot-start stops tasks with TaskFailedToStart and the pull error', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: 'pull',
      image: 'pull:1',
      deploymentConfiguration: breaker(false),
    });
    const missing = await register(ecs, 'pull', [container('pull', 'pull:404')]);
    sandbox.script('pull:404', { kind: 'cannot-start', afterMs: 100 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: missing }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    await waitForService(sandbox, cluster, service, (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED');
    const stopped = await stoppedTasksOf(ecs, cluster, id);
    expect(stopped.length).toBeGreaterThanOrEqual(3);
    for (const task of stopped) {
      expect(task.stopCode).toBe('TaskFailedToStart');
      expect(task.stoppedReason).toMatch(/^CannotPullContainerError: .*pull:404/);
      expect(task.startedAt).toBeUndefined();
      expect(task.containers?.[0].exitCode).toBeUndefined();
    }
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('unhealthy: ECS stops tasks that fail their container health check, and they count as failures', async () => {
    const healthCheck = {
      command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
      interval: 5,
      retries: 2,
      timeout: 2,
      startPeriod: 0,
    };
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: 'sick',
      image: 'sick:1',
      containers: [container('sick', 'sick:1', { healthCheck })],
      deploymentConfiguration: breaker(true),
    });
    const steady = await describeService(sandbox, cluster, service);
    const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: service }))).taskArns ?? [];
    const healthy = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
    expect(healthy.map((t) => [t.healthStatus, t.containers?.[0].healthStatus])).toEqual([
      ['HEALTHY', 'HEALTHY'],
      ['HEALTHY', 'HEALTHY'],
    ]);

    const next = await register(ecs, 'sick', [container('sick', 'sick:2', { healthCheck })]);
    sandbox.script('sick:2', { kind: 'unhealthy' });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: next }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    const rolledBack = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].id !== id && s.deployments[0].rolloutState === 'COMPLETED',
      30_000,
    );
    expect(rolledBack.taskDefinition).toBe(steady.taskDefinition);
    const stopped = await waitFor('stopped unhealthy tasks', async () => {
      const found = await stoppedTasksOf(ecs, cluster, id);
      return found.filter((task) => task.stoppedReason === 'Task failed container health checks').length >= 3 ? found : undefined;
    });
    // The threshold's worth failed their health checks; a task of the failed deployment still starting when the
    // rollback began is stopped by the rollback's scaling instead, as ECS does, so it is not counted here.
    const failedChecks = stopped.filter((task) => task.stoppedReason === 'Task failed container health checks');
    expect(failedChecks.length).toBeGreaterThanOrEqual(3);
    for (const task of failedChecks) expect(task).toMatchObject({ stopCode: 'ServiceSchedulerInitiated', healthStatus: 'UNHEALTHY' });
    for (const task of stopped.filter((t) => !failedChecks.includes(t))) {
      expect(task).toMatchObject({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: expect.stringMatching(/^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/),
      });
    }
    const events = rolledBack.events?.map((e) => e.message) ?? [];
    expect(events.some((m) => /^\(service sick\) \(task [0-9a-f]{32}\) failed container health checks\.$/.test(m ?? ''))).toBe(true);
  });

  test('StopServiceDeployment rolls an in-progress deployment back', async () => {
    const { ecs, cluster, service, taskDefinitionArn: good } = await createSteadyService(sandbox, { service: 'manual', image: 'manual:1' });
    const slow = await register(ecs, 'manual', [container('manual', 'manual:2')]);
    sandbox.script('manual:2', { kind: 'pending-forever' });
    await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: slow }));
    const [current] =
      (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status: ['IN_PROGRESS', 'PENDING'] }))).serviceDeployments ??
      [];
    const answer = await ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: current.serviceDeploymentArn, stopType: 'ROLLBACK' }),
    );
    expect(answer.serviceDeploymentArn).toBe(current.serviceDeploymentArn);
    const settled = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && s.taskDefinition === good,
    );
    expect(settled.runningCount).toBe(2);
    const sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [current.serviceDeploymentArn as string] })))
      .serviceDeployments?.[0];
    expect(sd?.status).toBe('ROLLBACK_SUCCESSFUL');
    await expect(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: current.serviceDeploymentArn }))).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });
});
