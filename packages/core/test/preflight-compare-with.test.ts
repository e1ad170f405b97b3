import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { parseServiceReference } from '../src/common/service-reference';
import { compareWithCheck, driftReportMarkdown, logDriftReport, type DriftReport } from '../src/preflight/checks/compare-with';
import { silentLogger } from '../src/common/logger';
import type { ServingRevision } from '../src/ecs/serving-revision';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { preflightFailure, preflightOf } from './support/preflight';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: REGION });
const SECRET = 'postgres://app:s3cr3t-pass-77@db:5432/app';

const serviceArn = (cluster: string, name: string, account = ACCOUNT) => `arn:aws:ecs:${REGION}:${account}:service/${cluster}/${name}`;
const target: Service = {
  serviceName: 'web',
  serviceArn: serviceArn('production', 'web'),
  clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/production`,
  taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web-production:3`,
  status: 'ACTIVE',
};
const staging: Service = {
  serviceName: 'web',
  serviceArn: serviceArn('staging', 'web'),
  clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/staging`,
  // The service's own revision: a deploy that failed and was not rolled back. The serving one is :4.
  taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web-staging:5`,
  status: 'ACTIVE',
};

const ours: RegistrableDefinition = {
  family: 'web-production',
  cpu: '512',
  containerDefinitions: [{ name: 'app', image: 'web:v2', environment: [{ name: 'DATABASE_URL', value: 'postgres://prod' }] }],
};
const theirs = {
  family: 'web-staging',
  revision: 4,
  cpu: '256',
  containerDefinitions: [{ name: 'app', image: 'web:v3', environment: [{ name: 'DATABASE_URL', value: SECRET }] }],
};

function check(
  value = 'staging/web',
  serving: ServingRevision = { taskDefinitionArn: 'web-staging:4', evidence: 'deployment ecs-svc/1 (PRIMARY) is COMPLETED' },
) {
  const asked: Service[] = [];
  const built = compareWithCheck({
    ecs,
    region: REGION,
    target,
    compareWith: parseServiceReference('compare-with', value, REGION),
    definition: ours,
    setByStep: [],
    servingRevision: async (service) => {
      asked.push(service);
      return serving;
    },
  });
  return { built, asked };
}

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeServicesCommand, { cluster: 'staging', services: ['web'] }).resolves({ services: [staging] });
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: theirs });
});

describe('compareWithCheck', () => {
  test('compares with the revision the mechanism says the other service serves, and counts the differences', async () => {
    const { built, asked } = check();
    const report = await preflightOf(built);
    expect(asked.map((service) => service.serviceArn)).toEqual([staging.serviceArn]);
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input.taskDefinition).toBe('web-staging:4');
    expect(report.rows[0]).toMatchObject({
      status: 'pass',
      title: 'Compared with staging/web',
      message: expect.stringMatching(/^2 differences from web-staging:4, which staging\/web runs/),
    });
    const value = report.valueOf(built) as DriftReport;
    expect(value.lines).toEqual(['cpu differs', 'containers[app].environment.DATABASE_URL differs']);
    expect(value.ours).toBe('production/web');
  });

  test("without a serving revision known, the service's own taskDefinition, saying so", async () => {
    const { built } = check('staging/web', { evidence: 'no deployment of this service is known to have completed' });
    const report = await preflightOf(built);
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input.taskDefinition).toBe(staging.taskDefinition);
    expect((report.valueOf(built) as DriftReport).evidence).toMatch(/^its service's taskDefinition, since no deployment/);
  });

  test('the log group and the summary name the differences, never a value', async () => {
    const { built } = check();
    const value = (await preflightOf(built)).valueOf(built) as DriftReport;
    const log = silentLogger();
    await logDriftReport(value, log);
    const text = [...log.lines, driftReportMarkdown(value)].join('\n');
    expect(log.lines[0]).toBe('[Compared with staging/web: 2 differences]');
    expect(text).toContain('containers[app].environment.DATABASE_URL differs');
    for (const secret of [SECRET, 's3cr3t-pass', 'postgres://prod', '256', '512', 'web:v3']) expect(text).not.toContain(secret);
  });

  test('a service that does not exist is bad input naming compare-with', async () => {
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'staging', services: ['ghost'] })
      .resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    const error = await preflightFailure(check('staging/ghost').built);
    expect(error.input).toBe('compare-with');
    expect(error.message).toBe(
      `Input 'compare-with': there is no active service "ghost" in cluster "staging" (us-east-1): MISSING. Give cluster/service of a service in the same account and region. Nothing was changed.`,
    );
  });

  test('a cluster that does not exist is bad input naming compare-with', async () => {
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'stagin', services: ['web'] })
      .rejects(Object.assign(new Error('Cluster not found.'), { name: 'ClusterNotFoundException' }));
    const error = await preflightFailure(check('stagin/web').built);
    expect(error.message).toMatch(/^Input 'compare-with': there is no cluster "stagin" in us-east-1\./);
  });

  test('an ARN of another account is refused before any look-up, naming both accounts', async () => {
    const error = await preflightFailure(check(serviceArn('staging', 'web', '999999999999')).built);
    expect(error.message).toMatch(
      /^Input 'compare-with' names a service in account 999999999999, but production\/web is in account 123456789012/,
    );
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test('the service this step deploys is refused: comparing it with itself says nothing', async () => {
    ecsMock.on(DescribeServicesCommand, { cluster: 'production', services: ['web'] }).resolves({ services: [target] });
    const error = await preflightFailure(check('production/web').built);
    expect(error.message).toMatch(/^Input 'compare-with' names production\/web, the service this step deploys/);
  });

  test('a read the role may not make is a warning naming the permission, and the deploy goes on', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(
        Object.assign(new Error('User is not authorized to perform: ecs:DescribeTaskDefinition'), { name: 'AccessDeniedException' }),
      );
    const report = await preflightOf(check().built);
    expect(report.rows[0]).toMatchObject({ status: 'warn', message: expect.stringContaining('ecs:DescribeTaskDefinition') });
  });
});
