import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../src/common/errors';
import { assertSupportedService } from '../src/ecs/service';
import { supportedControllerCheck } from '../src/preflight/checks/supported-controller';
import { preflightFailure, preflightOf } from './support/preflight';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const check = (service = 'web') =>
  supportedControllerCheck({ ecs, cluster: 'prod', service, region: 'us-east-1', assertSupported: assertSupportedService });
const answer = (overrides: Partial<Service>) =>
  ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', status: 'ACTIVE', ...overrides }] });

beforeEach(() => {
  ecsMock.reset();
});

describe('supportedControllerCheck', () => {
  test('protects', () => {
    expect(check().protects).toBe(true);
  });

  test('a rolling-update service passes, and the described service is handed on', async () => {
    answer({ deploymentController: { type: 'ECS' } });
    const c = check();
    const report = await preflightOf(c);
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'service "web" uses the ECS deployment controller' });
    expect(report.valueOf(c)?.serviceName).toBe('web');
  });

  test("an EXTERNAL service fails with today's guard's message", async () => {
    answer({ serviceName: 'bluegreen', deploymentController: { type: 'EXTERNAL' } });
    const error = await preflightFailure(check('bluegreen'));
    expect(error.message).toBe(
      'Service "bluegreen" uses the EXTERNAL deployment controller, which this action does not support yet: only deployments of the ECS controller (rolling, blue/green, linear and canary) and of CODE_DEPLOY (CodeDeploy blue/green) are deployed and watched. Nothing was changed.',
    );
    expect(error.input).toBe('service');
  });

  test("a DRAINING service fails with today's guard's message", async () => {
    answer({ status: 'DRAINING' });
    expect((await preflightFailure(check())).message).toBe('Service "web" is being deleted (DRAINING); nothing was changed.');
  });

  test("a service that does not exist fails with describeService's message", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    expect((await preflightFailure(check('ghost'))).message).toBe(
      'Input \'service\': there is no active service "ghost" in cluster "prod" (us-east-1): MISSING.',
    );
  });

  test('a service the caller read already is judged as read, without a DescribeServices of its own', async () => {
    const described: Service = { serviceName: 'web', status: 'ACTIVE', deploymentController: { type: 'EXTERNAL' } };
    const c = supportedControllerCheck({
      ecs,
      cluster: 'prod',
      service: 'web',
      region: 'us-east-1',
      assertSupported: assertSupportedService,
      described,
    });
    expect((await preflightFailure(c)).message).toContain('uses the EXTERNAL deployment controller');
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0);
  });

  test('the guard is the one given, so a deployment mechanism can bring its own', async () => {
    answer({ deploymentController: { type: 'ECS' } });
    const refuseAll = (service: Service) => {
      throw new ConfigurationError(
        `Service "${service.serviceName}" uses a strategy no mechanism handles yet. Nothing was changed.`,
        'service',
      );
    };
    const c = supportedControllerCheck({ ecs, cluster: 'prod', service: 'web', region: 'us-east-1', assertSupported: refuseAll });
    expect((await preflightFailure(c)).message).toBe('Service "web" uses a strategy no mechanism handles yet. Nothing was changed.');
  });
});
