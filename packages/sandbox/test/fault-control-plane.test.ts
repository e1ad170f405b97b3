import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { ListClustersCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, RegisterTargetsCommand, type TargetHealth } from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { createTargetGroup } from '../../../test/support/load-balancer';
import { container, createSteadyService, ecsClient, elbClient, register, waitFor, waitForService } from './support/harness';
import { startHttpTarget, type HttpTarget } from './support/http-target';

// The fault rules' control-plane effects beyond task-fails-to-start (fault-rules.test.ts): a target that turns
// unhealthy, a cluster that cannot place tasks. ×0.05: health checks every 250 ms, 2 checks either way.
let sandbox: Sandbox;
const servers: HttpTarget[] = [];
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(async () => {
  await sandbox.stop();
  await Promise.all(servers.map((s) => s.close()));
});
afterEach(() => sandbox.setFaults(undefined));

/** A target group with one healthy target: a local server answering 200. */
async function healthyTarget(name: string): Promise<{ arn: string; port: number }> {
  const server = await startHttpTarget(name);
  servers.push(server);
  const { targetGroupArn: arn } = await createTargetGroup(sandbox, name);
  await elbClient(sandbox).send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: server.port }] }));
  await waitFor('healthy', async () => ((await health(arn, server.port))?.State === 'healthy' ? true : undefined));
  return { arn, port: server.port };
}

async function health(arn: string, port: number): Promise<TargetHealth | undefined> {
  const answer = await elbClient(sandbox, 1).send(
    new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: port }] }),
  );
  return answer.TargetHealthDescriptions?.[0]?.TargetHealth;
}

describe('target-turns-unhealthy', () => {
  test("hits a DescribeTargetHealth: that group's target answers unhealthy with ELB's reason, the call log says so, and later checks heal it", async () => {
    const { arn, port } = await healthyTarget('turns');
    sandbox.setFaults({ rules: [{ operation: 'DescribeTargetHealth', count: 1, effect: { kind: 'target-turns-unhealthy' } }] });

    expect(await health(arn, port)).toEqual({
      State: 'unhealthy',
      Reason: 'Target.FailedHealthChecks',
      Description: 'Health checks failed',
    });
    expect(sandbox.calls.filter((call) => call.operation === 'DescribeTargetHealth').at(-1)?.fault).toBe('target-turns-unhealthy');
    // The server still answers 200: HealthyThresholdCount passed checks make it healthy again, as in ELB.
    await waitFor('healthy again', async () => ((await health(arn, port))?.State === 'healthy' ? true : undefined));
  });

  test('names its target group and reason: any call it hits turns that group, and only that one', async () => {
    const named = await healthyTarget('named');
    const other = await healthyTarget('other');
    sandbox.setFaults({
      rules: [
        {
          operation: 'ListClusters',
          count: 1,
          effect: { kind: 'target-turns-unhealthy', targetGroupArn: named.arn, reason: 'Target.Timeout' },
        },
      ],
    });

    await ecsClient(sandbox, 1).send(new ListClustersCommand({}));

    expect(await health(named.arn, named.port)).toEqual({ State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' });
    expect((await health(other.arn, other.port))?.State).toBe('healthy');
  });
});

describe('placement-fails', () => {
  test("hits an UpdateService: the call runs, its cluster places no task, and the deployment's failures trip the circuit breaker", async () => {
    const { ecs, cluster, service } = await createSteadyService(sandbox, {
      cluster: 'full',
      service: 'full',
      image: 'full:1',
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: false },
      },
    });
    sandbox.setFaults({ rules: [{ operation: 'UpdateService', count: 1, effect: { kind: 'placement-fails' } }] });

    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: await register(ecs, 'full', [container('full', 'full:2')]) }),
    );
    const id = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id as string;
    const failed = await waitForService(
      sandbox,
      cluster,
      service,
      (s: Service) => s.deployments?.find((d) => d.id === id)?.rolloutState === 'FAILED',
    );

    expect(failed.deployments?.find((d) => d.id === id)).toMatchObject({ runningCount: 0, failedTasks: 3 });
    expect(failed.events?.some((e) => e.message?.includes('was unable to place a task'))).toBe(true);
  });

  test('rejects a negative forMs with what to write instead', () => {
    expect(() => sandbox.setFaults({ rules: [{ effect: { kind: 'placement-fails', forMs: -1 } }] })).toThrow(
      'fault rule 0: placement-fails needs forMs >= 0',
    );
  });
});
