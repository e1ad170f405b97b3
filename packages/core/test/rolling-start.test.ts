import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { startDeployment, UPDATE_SERVICE_ATTEMPTS } from '../src/deployment/rolling/start';
import { fakeClock } from './support/fake-clock';
import { deployment, NEW, NEW_ID, OLD, OLD_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);
const NOW = Date.UTC(2026, 0, 1);
const request = { cluster: 'prod', service: 'web', taskDefinitionArn: NEW, forceNewDeployment: false, watch: true };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const lostAnswer = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const oldPrimary = deployment({ id: OLD_ID, taskDefinition: OLD, rolloutState: 'COMPLETED', createdAt: new Date(NOW - 3_600_000) });
const ours = (createdAt: number) => deployment({ id: NEW_ID, createdAt: new Date(createdAt) });
const earlierEvent = { id: 'e-old', createdAt: new Date(NOW - 600_000), message: 'an earlier deploy' };
const ourEvent = { id: 'e-ours', createdAt: new Date(NOW + 2_000), message: '(service web) has started 2 tasks.' };
const context = (log = silentLogger()) => ({ ecs: new ECSClient({ region: 'us-east-1' }), log, clock: fakeClock(NOW) });

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('startDeployment under throttling', () => {
  test('a throttled UpdateService is retried after the service is read, and the retry is said in the log', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service([oldPrimary])] });
    ecsMock
      .on(UpdateServiceCommand)
      .rejectsOnce(throttled())
      .resolves({ service: service([ours(NOW + 1_000), { ...oldPrimary, status: 'ACTIVE' }], { events: [earlierEvent] }) });
    const log = silentLogger();

    const started = await startDeployment(request, context(log));

    expect(started.deploymentId).toBe(NEW_ID);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(2);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^UpdateService of web failed \\(ThrottlingException: Rate exceeded\\); attempt 2 of ${UPDATE_SERVICE_ATTEMPTS} in`),
      ),
    );
    expect(started.knownEventIds).toEqual(['e-old']);
  });

  test('an UpdateService whose answer was lost but took effect is not called again: the new primary deployment is taken', async () => {
    ecsMock.on(UpdateServiceCommand).rejects(lostAnswer());
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [service([ours(NOW + 1_000), { ...oldPrimary, status: 'ACTIVE' }], { events: [ourEvent, earlierEvent] })],
    });
    const log = silentLogger();

    const started = await startDeployment(request, context(log));

    expect(started.deploymentId).toBe(NEW_ID);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(log.lines).toContainEqual(`UpdateService of web had taken effect: deployment ${NEW_ID} of the revision was created since.`);
    // Our deployment's own events are not mistaken for an earlier deploy's.
    expect(started.knownEventIds).toEqual(['e-old']);
  });

  test("a primary deployment of the revision from long before is an earlier deploy's: UpdateService is called again", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service([ours(NOW - 600_000)])] });
    ecsMock
      .on(UpdateServiceCommand)
      .rejectsOnce(throttled())
      .resolves({ service: service([deployment({ id: 'ecs-svc/4444', createdAt: new Date(NOW + 1_000) })]) });

    const started = await startDeployment({ ...request, forceNewDeployment: true }, context());

    expect(started.deploymentId).toBe('ecs-svc/4444');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(2);
  });
});
