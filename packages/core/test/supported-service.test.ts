import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, type DeploymentStrategy, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mechanismChecks, mechanismFollowUpChecks, supportedServiceCheck } from '../src/deployment/supported-service';
import { preflightFailure, preflightOf } from './support/preflight';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const check = () => supportedServiceCheck(ecs, { cluster: 'prod', service: 'web', region: 'us-east-1' });
const answer = (overrides: Partial<Service>) =>
  ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', status: 'ACTIVE', ...overrides }] });

beforeEach(() => {
  ecsMock.reset();
});

describe('supportedServiceCheck', () => {
  test('is the supported-controller check', () => {
    expect(check()).toMatchObject({ id: 'supported-controller', protects: true });
  });

  test('a rolling-update service passes, and the described service is handed on', async () => {
    answer({ deploymentController: { type: 'ECS' } });
    const c = check();
    const report = await preflightOf(c);
    expect(report.rows[0]).toMatchObject({ status: 'pass' });
    expect(report.valueOf(c)?.serviceName).toBe('web');
  });

  test("a strategy no mechanism handles fails with mechanismFor's refusal, word for word", async () => {
    answer({ deploymentConfiguration: { strategy: 'SHADOW' as DeploymentStrategy } });
    const error = await preflightFailure(check());
    expect(error.message).toBe(
      'Service "web" uses the ECS deployment controller with the SHADOW deployment strategy, which this action does not support yet: ' +
        'only the ROLLING, BLUE_GREEN, LINEAR, CANARY strategies are deployed and watched. Nothing was changed.',
    );
    expect(error.input).toBe('service');
  });
});

describe('mechanismChecks', () => {
  test("are the service's mechanism's own checks: none for a rolling update", async () => {
    answer({});
    const c = check();
    const stage = mechanismChecks(c, { ecs, cluster: 'prod', purpose: 'deploy' });
    expect(stage((await preflightOf(c)).valueOf)).toEqual([]);
  });

  test("a blue/green service's deploy first proves its service deployments can be followed; its rollback does not need to", async () => {
    answer({ deploymentConfiguration: { strategy: 'BLUE_GREEN' } });
    const c = check();
    const { valueOf } = await preflightOf(c);
    expect(mechanismChecks(c, { ecs, cluster: 'prod', purpose: 'deploy' })(valueOf).map((each) => each.id)).toEqual([
      'service-deployments-readable',
    ]);
    expect(mechanismChecks(c, { ecs, cluster: 'prod', purpose: 'roll-back' })(valueOf)).toEqual([]);
  });

  test('are none when the service was not described', () => {
    expect(mechanismChecks(check(), { ecs, cluster: 'prod', purpose: 'deploy' })(() => undefined)).toEqual([]);
  });

  test('with a load balancer client, a blue/green deploy also checks its traffic resources, unless it follows a deployment that exists', async () => {
    answer({ deploymentConfiguration: { strategy: 'LINEAR' } });
    const c = check();
    const { valueOf } = await preflightOf(c);
    const ids = (context: Parameters<typeof mechanismChecks>[1]) => mechanismChecks(c, context)(valueOf).map((each) => each.id);
    expect(ids({ ecs, elb, cluster: 'prod', purpose: 'deploy' })).toEqual(['service-deployments-readable', 'blue-green-traffic-resources']);
    expect(ids({ ecs, elb, cluster: 'prod', purpose: 'deploy', deploy: { following: true } })).toEqual(['service-deployments-readable']);
    expect(ids({ ecs, elb, cluster: 'prod', purpose: 'roll-back' })).toEqual([]);
  });
});

const elb = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });

describe('mechanismFollowUpChecks', () => {
  const plan = {
    names: { application: 'AppECS-prod-web', deploymentGroup: 'DgpECS-prod-web' },
    group: {},
    deploymentConfigName: 'x',
    waitMs: 0,
  };

  test("a CODE_DEPLOY deploy checks its group's target groups and listeners, from the group its own check found", async () => {
    answer({ deploymentController: { type: 'CODE_DEPLOY' } });
    const c = check();
    const { valueOf } = await preflightOf(c);
    const ids = (context: Parameters<typeof mechanismChecks>[1], found: unknown[]) =>
      mechanismFollowUpChecks(c, context, () => found)(valueOf).map((each) => each.id);
    expect(ids({ ecs, elb, cluster: 'prod', purpose: 'deploy' }, [plan])).toEqual(['codedeploy-traffic-resources']);
    // Following a deployment (no group read), without a load balancer client, or for a rollback: none.
    expect(ids({ ecs, elb, cluster: 'prod', purpose: 'deploy' }, [{ waitMs: 0 }])).toEqual([]);
    expect(ids({ ecs, cluster: 'prod', purpose: 'deploy' }, [plan])).toEqual([]);
    expect(ids({ ecs, elb, cluster: 'prod', purpose: 'roll-back' }, [plan])).toEqual([]);
  });

  test('none for a mechanism without follow-ups', async () => {
    answer({ deploymentConfiguration: { strategy: 'BLUE_GREEN' } });
    const c = check();
    const { valueOf } = await preflightOf(c);
    expect(mechanismFollowUpChecks(c, { ecs, elb, cluster: 'prod', purpose: 'deploy' }, () => [plan])(valueOf)).toEqual([]);
  });
});
