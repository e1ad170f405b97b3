import { describe, expect, test } from '@jest/globals';
import type { ContainerDefinition, Service } from '@aws-sdk/client-ecs';
import { declaredStart, healthCheckGraceCheck } from '../src/preflight/checks/health-check-grace';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { preflightOf } from './support/preflight';

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123abcd';
const behindLoadBalancer = (grace?: number): Service => ({
  serviceName: 'web',
  loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }],
  ...(grace === undefined ? {} : { healthCheckGracePeriodSeconds: grace }),
});
const checked = (startPeriod?: number, extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: 'web',
  image: 'web:1',
  healthCheck: { command: ['CMD-SHELL', 'curl -f localhost:8080/health'], interval: 10, retries: 3, startPeriod },
  ...extra,
});
const revision = (...containers: ContainerDefinition[]): RegistrableDefinition => ({ family: 'web', containerDefinitions: containers });
const rowOf = async (service: Service, definition: RegistrableDefinition) =>
  (await preflightOf(healthCheckGraceCheck({ service, definition, cluster: 'prod' }))).rows[0];

describe('healthCheckGraceCheck', () => {
  test('a grace period shorter than the start period warns, naming both numbers and the command that sets it', async () => {
    const row = await rowOf(behindLoadBalancer(10), revision(checked(60)));
    expect(row.status).toBe('warn');
    expect(row.message).toContain('Container "web" of the new revision may take up to 60 s to start');
    expect(row.message).toContain('ignores failed load balancer health checks for only 10 s after a task starts');
    expect(row.message).toContain('aws ecs update-service --cluster prod --service web --health-check-grace-period-seconds 60');
  });

  test('an unset grace period is 0 and says so', async () => {
    const row = await rowOf(behindLoadBalancer(), revision(checked(30)));
    expect(row.status).toBe('warn');
    expect(row.message).toContain('for only 0 s (unset) after a task starts');
  });

  test('a grace period as long as the start period passes', async () => {
    const row = await rowOf(behindLoadBalancer(60), revision(checked(60)));
    expect(row).toMatchObject({ status: 'pass', message: `grace period 60 s covers container "web"'s start period (60 s)` });
  });

  test('no start period declared (0, unset, or no health check) leaves nothing to compare: pass', async () => {
    for (const definition of [revision(checked(0)), revision(checked()), revision({ name: 'web', image: 'web:1' })]) {
      expect((await rowOf(behindLoadBalancer(0), definition)).status).toBe('pass');
    }
  });

  test('without a load balancer the container health check start period covers start-up: pass', async () => {
    const row = await rowOf({ serviceName: 'worker' }, revision(checked(120)));
    expect(row.status).toBe('pass');
    expect(row.message).toContain('no load balancer');
  });

  test('VPC Lattice health checks count as a load balancer does', async () => {
    const service: Service = {
      serviceName: 'web',
      deployments: [
        { status: 'PRIMARY', vpcLatticeConfigurations: [{ roleArn: 'arn:aws:iam::1:role/r', targetGroupArn: 'arn:tg', portName: 'http' }] },
      ],
    };
    const row = await rowOf(service, revision(checked(45)));
    expect(row.status).toBe('warn');
    expect(row.message).toContain('failed VPC Lattice health checks');
  });
});

describe('declaredStart', () => {
  test('the longest start period of the essential containers with a health check command; sidecars and NONE do not count', () => {
    expect(
      declaredStart([
        checked(20),
        checked(90, { name: 'sidecar', essential: false }),
        checked(40, { name: 'api' }),
        { name: 'off', healthCheck: { command: ['NONE'], startPeriod: 200 } },
      ]),
    ).toEqual({ container: 'api', startPeriodSeconds: 40 });
    expect(declaredStart([checked(0)])).toBeUndefined();
  });
});
