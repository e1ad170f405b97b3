import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { serviceExistsCheck } from '../src/preflight/checks/service-exists';
import { preflightFailure, preflightOf } from './support/preflight';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const check = (service: string, cluster = 'prod') => serviceExistsCheck({ ecs, cluster, service, region: 'us-east-1' });

beforeEach(() => {
  ecsMock.reset();
});

describe('serviceExistsCheck', () => {
  test('an active service passes, and is handed on', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', status: 'ACTIVE' }] });
    const c = check('web');
    const report = await preflightOf(c);
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'service "web" is ACTIVE in cluster "prod"' });
    expect(report.valueOf(c)?.serviceName).toBe('web');
  });

  test("a service that does not exist fails with today's message", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'ghost', status: 'INACTIVE' }], failures: [] });
    const error = await preflightFailure(check('ghost'));
    expect(error.message).toBe('Input \'service\': there is no active service "ghost" in cluster "prod" (us-east-1): MISSING.');
    expect(error.input).toBe('service');
  });

  test("a cluster that does not exist fails with today's message", async () => {
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }));
    expect((await preflightFailure(check('web', 'nowhere'))).message).toBe(
      'Input \'cluster\': there is no cluster "nowhere" in us-east-1.',
    );
  });

  test('does not protect', () => {
    expect(check('web').protects).toBe(false);
  });
});
