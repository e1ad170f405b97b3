import { describe, expect, test } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { loadBalancedContainerCheck } from '../src/preflight/checks/load-balanced-container';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { preflightFailure, preflightOf } from './support/preflight';

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123abcd';
const service = (loadBalancers: Service['loadBalancers']): Service => ({ serviceName: 'web', loadBalancers });
const behindWeb8080 = service([{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }]);
const revision = (...containers: { name: string; ports: number[] }[]): RegistrableDefinition => ({
  family: 'web',
  containerDefinitions: containers.map(({ name, ports }) => ({
    name,
    image: `${name}:1`,
    portMappings: ports.map((containerPort) => ({ containerPort })),
  })),
});
const check = (svc: Service, definition: RegistrableDefinition) =>
  loadBalancedContainerCheck({ service: svc, definition, source: 'td.json' });

describe('loadBalancedContainerCheck', () => {
  test('the container and port the load balancer sends traffic to are in the new revision: pass', async () => {
    const report = await preflightOf(check(behindWeb8080, revision({ name: 'web', ports: [9090, 8080] }, { name: 'proxy', ports: [] })));
    expect(report.rows[0]).toMatchObject({
      status: 'pass',
      message: `the new revision has container "web" port 8080, as service "web"'s load balancer needs`,
    });
  });

  test('a renamed container fails naming the container, its target group and the containers there are', async () => {
    const error = await preflightFailure(check(behindWeb8080, revision({ name: 'app', ports: [8080] })));
    expect(error.input).toBe('task-definition');
    expect(error.message).toBe(
      'Service "web" sends its load balancer\'s traffic to container "web" (target group web-tg), which is not there (its containers: "app"), in the revision from "td.json". ' +
        "Name the container and its containerPort as the service's load balancer does, or change the service's load balancer first. Nothing was changed.",
    );
  });

  test('a dropped port mapping fails naming the port and the ports the container maps', async () => {
    const error = await preflightFailure(check(behindWeb8080, revision({ name: 'web', ports: [80] })));
    expect(error.message).toMatch(
      /^Service "web" sends its load balancer's traffic to container "web" port 8080 \(target group web-tg\), which that container does not map \(it maps 80\)/,
    );
  });

  test('every load balancer is checked, a Classic one by its name', async () => {
    const two = service([
      { targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 },
      { loadBalancerName: 'legacy-elb', containerName: 'admin', containerPort: 9000 },
    ]);
    const error = await preflightFailure(check(two, revision({ name: 'web', ports: [8080] })));
    expect(error.message).toContain('to container "admin" (legacy-elb), which is not there (its containers: "web")');
  });

  test('a service without a load balancer passes', async () => {
    expect((await preflightOf(check(service(undefined), revision({ name: 'web', ports: [] })))).rows[0]).toMatchObject({
      status: 'pass',
      message: 'service "web" has no load balancer',
    });
  });
});
