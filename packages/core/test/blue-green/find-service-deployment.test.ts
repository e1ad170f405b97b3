import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../../src/common/logger';
import { FIND_CLOCK_SKEW_MS, findServiceDeployment } from '../../src/ecs/find-service-deployment';
import { fakeClock } from '../support/fake-clock';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const sdArn = (id: string) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/${id}`;
const revisionArn = (id: string) => `arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/${id}`;
const START = Date.UTC(2026, 0, 1, 12);

/** A service deployment created `offsetMs` after the update, whose target revision runs web:<revision>. */
const brief = (id: string, offsetMs: number, revision: number): ServiceDeploymentBrief & { revision: number } => ({
  serviceDeploymentArn: sdArn(id),
  targetServiceRevisionArn: revisionArn(`rev-${id}`),
  createdAt: new Date(START + offsetMs),
  status: 'IN_PROGRESS',
  revision,
});

function listed(...briefs: ReturnType<typeof brief>[]) {
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns.map((arn) => {
      const of = briefs.find((b) => b.targetServiceRevisionArn === arn)!;
      return { serviceRevisionArn: arn, taskDefinition: td(of.revision) };
    }),
  }));
  return { serviceDeployments: briefs.map(({ revision: _revision, ...rest }) => rest) };
}

let clock: ReturnType<typeof fakeClock>;
beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock(START);
});

const find = (taskDefinitionArn = td(8)) =>
  findServiceDeployment(ecs, { cluster: 'prod', service: 'web', taskDefinitionArn, since: START }, { log: silentLogger(), clock });

describe('findServiceDeployment', () => {
  test('of two overlapping deployments, the one of our revision is taken, not the newest', async () => {
    // Another pipeline's deploy of web:9 was created a moment after ours.
    ecsMock.on(ListServiceDeploymentsCommand).resolves(listed(brief('theirs', 900, 9), brief('ours', 300, 8)));

    const found = await find();

    expect(found?.serviceDeploymentArn).toBe(sdArn('ours'));
  });

  test('asks ECS only for deployments created since the update, give or take the clock skew', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves(listed(brief('ours', 300, 8)));

    await find();

    const input = ecsMock.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input;
    expect(input).toMatchObject({ cluster: 'prod', service: 'web', createdAt: { after: new Date(START - FIND_CLOCK_SKEW_MS) } });
  });

  test('an earlier deployment of the same revision (a forced redeploy before the skew window) is not ours', async () => {
    // An implementation that ignores the createdAt filter still lists it: it is filtered out here too.
    ecsMock.on(ListServiceDeploymentsCommand).resolves(listed(brief('earlier', -60_000, 8), brief('ours', 200, 8)));

    expect((await find())?.serviceDeploymentArn).toBe(sdArn('ours'));
  });

  test('of two of our revision inside the window, the earliest is taken (sorted by createdAt, whatever the listing order)', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves(listed(brief('later', 4_000, 8), brief('first', 100, 8)));

    expect((await find())?.serviceDeploymentArn).toBe(sdArn('first'));
  });

  test('a listing that lags the update is asked again until the deployment shows', async () => {
    ecsMock
      .on(ListServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [] })
      .resolvesOnce(listed(brief('theirs', 900, 9)))
      .resolves(listed(brief('theirs', 900, 9), brief('ours', 300, 8)));

    const found = await find();

    expect(found?.serviceDeploymentArn).toBe(sdArn('ours'));
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(3);
  });

  test('a throttled listing skips a round rather than failing', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    ecsMock
      .on(ListServiceDeploymentsCommand)
      .rejectsOnce(throttled)
      .resolves(listed(brief('ours', 300, 8)));

    expect((await find())?.serviceDeploymentArn).toBe(sdArn('ours'));
  });

  test('a deployment never listed is undefined once the wait is over, and said', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves(listed(brief('theirs', 900, 9)));
    const log = silentLogger();

    const found = await findServiceDeployment(
      ecs,
      { cluster: 'prod', service: 'web', taskDefinitionArn: td(8), since: START },
      { log, clock, timeoutMs: 3_000 },
    );

    expect(found).toBeUndefined();
    expect(log.lines).toEqual(['ECS listed no service deployment of web:8 created since the update within 3s.']);
  });
});
