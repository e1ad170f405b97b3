import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { circuitBreakerThreshold, start, type Sandbox, type SandboxEvent } from '../src/index';
import { container, createSteadyService, describeService, ecsClient, network, register, waitFor, waitForService } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(async () => {
  await sandbox.stop();
});

/** A crash before the health check's first pass (interval 20 s) is a failed task; a healthy image passes it. */
const checked = {
  healthCheck: {
    command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
    interval: 20,
    retries: 2,
    timeout: 2,
    startPeriod: 0,
  },
};
const crash = { kind: 'exit', exitCode: 1, startMs: 100, afterMs: 8000 } as const;

async function serviceDeployment(ecs: ECSClient, cluster: string, service: string) {
  const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn as string] })))
    .serviceDeployments?.[0];
}

function nextEvent(kind: SandboxEvent['kind'], deploymentId: string, after = 0): Promise<SandboxEvent> {
  return waitFor(
    `${kind} of ${deploymentId}`,
    async () => sandbox.history.filter((e) => e.kind === kind && e.deploymentId === deploymentId)[after],
  );
}

describe('thresholdConfiguration', () => {
  test('COUNT uses the value itself; UNBOUNDED_PERCENT drops the 3-to-200 bounds; BOUNDED_PERCENT keeps them', () => {
    expect(circuitBreakerThreshold(10, { type: 'COUNT', value: 1 })).toBe(1);
    expect(circuitBreakerThreshold(2, { type: 'UNBOUNDED_PERCENT', value: 50 })).toBe(1);
    expect(circuitBreakerThreshold(1000, { type: 'UNBOUNDED_PERCENT', value: 50 })).toBe(500);
    expect(circuitBreakerThreshold(2, { type: 'BOUNDED_PERCENT', value: 100 })).toBe(3);
    expect(circuitBreakerThreshold(1000, { type: 'BOUNDED_PERCENT', value: 50 })).toBe(200);
  });

  test('COUNT 1 trips the breaker at the first failed task', async () => {
    const deploymentConfiguration: DeploymentConfiguration = {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: false, thresholdConfiguration: { type: 'COUNT', value: 1 } },
    };
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: 'once',
      image: 'once:1',
      desiredCount: 4,
      deploymentConfiguration,
    });
    const broken = await register(ecs, 'once', [container('once', 'once:2', checked)]);
    sandbox.script('once:2', crash);
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: broken }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    expect(failed.deployments?.find((d) => d.id === id)?.failedTasks).toBe(1);
    expect((await serviceDeployment(ecs, cluster, service))?.deploymentCircuitBreaker).toEqual({
      status: 'TRIGGERED',
      failureCount: 1,
      threshold: 1,
    });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('an invalid type is refused before anything changes', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'test' }));
    const taskDefinition = await register(ecs, 'typo', [container('typo', 'typo:1')]);
    const refused = ecs.send(
      new CreateServiceCommand({
        cluster: 'test',
        serviceName: 'typo',
        taskDefinition,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true, thresholdConfiguration: { type: 'PERCENT' as 'COUNT', value: 5 } },
        },
      }),
    );
    await expect(refused).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const described = await ecs.send(new DescribeServicesCommand({ cluster: 'test', services: ['typo'] }));
    expect(described.failures?.[0]?.reason).toBe('MISSING');
  });
});

describe('resetOnHealthyTask', () => {
  /**
   * One new task at a time (maximumPercent 150 with 2 desired): a task that crashes, then one that passes its
   * health check, then one that crashes. Each task takes its script when it starts, so the script is changed
   * once the task before it has started (a task starts only after the one before it stopped or passed its check).
   */
  async function failHealthyFail(name: string, resetOnHealthyTask: boolean) {
    const deploymentConfiguration: DeploymentConfiguration = {
      minimumHealthyPercent: 100,
      maximumPercent: 150,
      deploymentCircuitBreaker: { enable: true, rollback: false, resetOnHealthyTask, thresholdConfiguration: { type: 'COUNT', value: 2 } },
    };
    const { ecs, cluster, service } = await createSteadyService(sandbox, { service: name, image: `${name}:1`, deploymentConfiguration });
    const next = await register(ecs, name, [container(name, `${name}:2`, checked)]);
    sandbox.script(`${name}:2`, crash);
    const update = await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: next }));
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    await nextEvent('task-started', id, 0);
    sandbox.script(`${name}:2`, { kind: 'healthy', startMs: 100 });
    await nextEvent('task-started', id, 1);
    sandbox.script(`${name}:2`, crash);
    // The third task starts only once the second passed its health check and an old task made room.
    expect((await nextEvent('task-healthy', id, 0)).taskArn).toBe(
      sandbox.history.filter((e) => e.kind === 'task-started' && e.deploymentId === id)[1].taskArn,
    );
    const third = await nextEvent('task-started', id, 2);
    await waitFor('the third task to stop', async () =>
      sandbox.history.some((e) => e.kind === 'task-stopped' && e.taskArn === third.taskArn) ? true : undefined,
    );
    return { ecs, cluster, service, id };
  }

  test('false keeps the count across a healthy task: two failures around it trip COUNT 2', async () => {
    const { ecs, cluster, service, id } = await failHealthyFail('tally', false);
    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );
    expect(failed.deployments?.find((d) => d.id === id)?.failedTasks).toBe(2);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });

  test('true (the default) resets it: the second failure counts one', async () => {
    const { ecs, cluster, service, id } = await failHealthyFail('reset', true);
    const after = await describeService(sandbox, cluster, service);
    expect(after.deployments?.find((d) => d.id === id)).toMatchObject({ rolloutState: 'IN_PROGRESS', failedTasks: 1 });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });
});

describe('the new fields through the real SDK client', () => {
  test('CreateService and UpdateService take them; DescribeServices and DescribeServiceDeployments echo them', async () => {
    const deploymentConfiguration: DeploymentConfiguration = {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: {
        enable: true,
        rollback: true,
        resetOnHealthyTask: false,
        thresholdConfiguration: { type: 'UNBOUNDED_PERCENT', value: 100 },
      },
      alarms: { alarmNames: ['echo-5xx', 'echo-latency'], enable: true, rollback: true },
    };
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      service: 'echo',
      image: 'echo:1',
      desiredCount: 2,
      deploymentConfiguration,
    });
    const described = await describeService(sandbox, cluster, service);
    expect(described.deploymentConfiguration).toEqual(deploymentConfiguration);
    const sd = await serviceDeployment(ecs, cluster, service);
    expect(sd?.deploymentConfiguration).toEqual(deploymentConfiguration);
    // UNBOUNDED_PERCENT 100 of 2 desired tasks: 2, below the bounded minimum of 3.
    expect(sd?.deploymentCircuitBreaker).toEqual({ status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 2 });
    expect(sd?.alarms).toEqual({ status: 'MONITORING_COMPLETE', alarmNames: ['echo-5xx', 'echo-latency'] });

    const changed: DeploymentConfiguration = {
      ...deploymentConfiguration,
      deploymentCircuitBreaker: { enable: true, rollback: false, thresholdConfiguration: { type: 'COUNT', value: 7 } },
    };
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster, service, deploymentConfiguration: changed, forceNewDeployment: true }),
    );
    expect(updated.service?.deploymentConfiguration).toEqual(changed);
    await waitFor('the new service deployment', async () => {
      const latest = await serviceDeployment(ecs, cluster, service);
      return latest?.deploymentCircuitBreaker?.threshold === 7 ? latest : undefined;
    });
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });
});
