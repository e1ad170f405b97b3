import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { planRollingStep } from '../src/scheduler/rolling';
import { container, createSteadyService, describeService, register, waitForService } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(async () => {
  await sandbox.stop();
});

describe('planRollingStep follows the examples of the rolling update guide', () => {
  const healthy = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ arn: `${prefix}${i}`, healthy: true }));
  const base = { stopping: 0, canLaunch: true, canReplaceOld: true, primary: [] };

  test('minimum healthy 50% of 4 lets two old tasks stop before new ones start', () => {
    const plan = planRollingStep({ ...base, desiredCount: 4, minimumHealthyPercent: 50, maximumPercent: 100, old: healthy(4, 'old') });
    expect(plan.stop).toHaveLength(2);
    // Stopping tasks still count against maximumPercent until they are STOPPED.
    expect(plan.launch).toBe(0);
  });

  test('maximum 200% of 4 starts four new tasks before stopping any', () => {
    const plan = planRollingStep({ ...base, desiredCount: 4, minimumHealthyPercent: 100, maximumPercent: 200, old: healthy(4, 'old') });
    expect(plan).toEqual({ launch: 4, stop: [], blocked: false });
  });

  test('minimum 75% of 2 rounds up to 2, so no old task may stop', () => {
    const plan = planRollingStep({ ...base, desiredCount: 2, minimumHealthyPercent: 75, maximumPercent: 150, old: healthy(2, 'old') });
    expect(plan.stop).toEqual([]);
    expect(plan.launch).toBe(1);
  });

  test('maximum 125% of 3 rounds down to 3: with 100% minimum the deployment is blocked', () => {
    const plan = planRollingStep({ ...base, desiredCount: 3, minimumHealthyPercent: 100, maximumPercent: 125, old: healthy(3, 'old') });
    expect(plan).toEqual({ launch: 0, stop: [], blocked: true });
  });

  test('unhealthy old tasks may always be stopped; healthy ones only above the minimum', () => {
    const old = [...healthy(2, 'ok'), { arn: 'sick', healthy: false }];
    const plan = planRollingStep({ ...base, desiredCount: 3, minimumHealthyPercent: 67, maximumPercent: 100, old });
    expect(plan.stop).toEqual(['sick']);
  });

  test('a FAILED primary launches nothing and keeps the old tasks', () => {
    const plan = planRollingStep({
      ...base,
      canLaunch: false,
      canReplaceOld: false,
      desiredCount: 2,
      minimumHealthyPercent: 0,
      maximumPercent: 200,
      old: healthy(2, 'old'),
    });
    expect(plan).toEqual({ launch: 0, stop: [], blocked: false });
  });
});

describe('a healthy rolling deployment', () => {
  test("replaces every task within min/max percent and completes with ECS's events", async () => {
    const desired = 4;
    const {
      ecs,
      cluster,
      service,
      taskDefinitionArn: oldArn,
    } = await createSteadyService(sandbox, {
      service: 'shop',
      image: 'shop:1',
      desiredCount: desired,
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 150 },
    });
    const newArn = await register(ecs, 'shop', [container('shop', 'shop:2')]);
    sandbox.script('shop:2', { kind: 'healthy', startMs: 1000 });
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: newArn }));
    const deployments = update.service?.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    expect(primary).toMatchObject({ taskDefinition: newArn, rolloutState: 'IN_PROGRESS', desiredCount: desired, failedTasks: 0 });
    expect(primary?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(primary?.rolloutStateReason).toBe(`ECS deployment ${primary?.id} in progress.`);
    expect(deployments.find((d) => d.status === 'ACTIVE')?.taskDefinition).toBe(oldArn);

    // Watch the tasks while the rollout runs: never more than 150% of 4 = 6 in flight, never fewer than
    // 50% of 4 = 2 running.
    let maxInFlight = 0;
    let minRunning = Infinity;
    const done = waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
      30_000,
    );
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished) {
      const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: service }))).taskArns ?? [];
      const tasks = arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? []) : [];
      maxInFlight = Math.max(maxInFlight, tasks.filter((t) => t.lastStatus !== 'STOPPED').length);
      minRunning = Math.min(minRunning, tasks.filter((t) => t.lastStatus === 'RUNNING').length);
    }
    const settled = await done;
    expect(maxInFlight).toBeGreaterThan(desired);
    expect(maxInFlight).toBeLessThanOrEqual(6);
    expect(minRunning).toBeGreaterThanOrEqual(2);

    expect(settled.taskDefinition).toBe(newArn);
    expect(settled.runningCount).toBe(desired);
    expect(settled.deployments?.[0]).toMatchObject({
      id: primary?.id,
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: desired,
      pendingCount: 0,
    });
    expect(settled.deployments?.[0].rolloutStateReason).toBe(`ECS deployment ${primary?.id} completed.`);
    const messages = settled.events?.map((e) => e.message) ?? [];
    expect(messages[0]).toBe('(service shop) has reached a steady state.');
    expect(messages[1]).toBe(`(service shop) (deployment ${primary?.id}) deployment completed.`);
    expect(messages.some((m) => /^\(service shop\) has stopped \d running tasks: (\(task [0-9a-f]{32}\) ?)+\.$/.test(m ?? ''))).toBe(true);
    const times = settled.events?.map((e) => e.createdAt?.getTime() ?? 0) ?? [];
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // New tasks belong to the deployment; old ones were stopped by the scheduler.
    const running = (await ecs.send(new ListTasksCommand({ cluster, serviceName: service }))).taskArns ?? [];
    const current = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: running }))).tasks as Task[];
    expect(current.every((t) => t.startedBy === primary?.id && t.group === 'service:shop' && t.taskDefinitionArn === newArn)).toBe(true);
    const stoppedArns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED' }))).taskArns ?? [];
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: stoppedArns }))).tasks as Task[];
    expect(stopped).toHaveLength(desired);
    for (const task of stopped) {
      expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', taskDefinitionArn: oldArn });
      expect(task.stoppedReason).toBe(`Scaling activity initiated by (deployment ${primary?.id})`);
      expect(task.stoppedAt).toBeInstanceOf(Date);
    }

    // The same rollout through the service deployments API.
    const list = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
    expect(list.serviceDeployments?.map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    const [latest] = list.serviceDeployments ?? [];
    expect(latest.serviceDeploymentArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:service-deployment\/test\/shop\/[A-Za-z0-9-]+$/);
    const described = await ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [
          latest.serviceDeploymentArn as string,
          'arn:aws:ecs:us-east-1:000000000000:service-deployment/test/shop/nope',
        ],
      }),
    );
    expect(described.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:000000000000:service-deployment/test/shop/nope', reason: 'MISSING' },
    ]);
    const sd = described.serviceDeployments?.[0];
    expect(sd).toMatchObject({
      serviceArn: settled.serviceArn,
      clusterArn: settled.clusterArn,
      status: 'SUCCESSFUL',
      targetServiceRevision: { requestedTaskCount: desired, runningTaskCount: desired, pendingTaskCount: 0 },
      deploymentCircuitBreaker: { status: 'DISABLED', threshold: 3, failureCount: 0 },
    });
    expect(sd?.finishedAt?.getTime()).toBeGreaterThanOrEqual(sd?.startedAt?.getTime() ?? Infinity);
    expect(sd?.sourceServiceRevisions).toHaveLength(1);
    const revisions = await ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [sd?.targetServiceRevision?.arn as string, sd?.sourceServiceRevisions?.[0].arn as string],
      }),
    );
    expect(revisions.serviceRevisions?.map((r) => r.taskDefinition)).toEqual([newArn, oldArn]);
    expect(revisions.serviceRevisions?.[0].serviceRevisionArn).toMatch(/:service-revision\/test\/shop\/\d+$/);
    expect(settled.currentServiceDeployment).toBe(latest.serviceDeploymentArn);

    // History records the moments a benchmark measures.
    const ours = sandbox.history.filter((e) => e.deploymentId === primary?.id);
    expect(ours.map((e) => e.kind)).toEqual(expect.arrayContaining(['deployment-created', 'task-started', 'task-healthy', 'steady-state']));
    expect(ours.filter((e) => e.kind === 'task-started')).toHaveLength(desired);
  });

  test('desiredCount alone scales without a new deployment; forceNewDeployment starts one', async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: 'scale', image: 'scale:1', desiredCount: 1 });
    const first = (await describeService(sandbox, cluster, service)).deployments?.[0].id;
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 3 }));
    const scaled = await waitForService(sandbox, cluster, service, (s) => s.runningCount === 3);
    expect(scaled.deployments?.map((d) => d.id)).toEqual([first]);
    const forced = await ecs.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
    const id = forced.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    expect(id).not.toBe(first);
    const done = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
    );
    expect(done.deployments?.[0].id).toBe(id);
    expect(done.runningCount).toBe(3);
  });
});
