import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, type TaskDefinition } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { ensureRegistered, REGISTER_ATTEMPTS } from '../src/task-definition/register';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { fakeClock } from './support/fake-clock';
import { described, handWritten, TAGS } from './support/task-definitions';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const OLDER_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9';
const REGISTERED_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:10';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.5.0';

function rendered(): RegistrableDefinition {
  const definition = handWritten();
  definition.containerDefinitions![0].image = IMAGE;
  return definition;
}

function revision(arn: string, image: string): TaskDefinition {
  const base = described();
  return { ...base, taskDefinitionArn: arn, containerDefinitions: [{ ...base.containerDefinitions![0], image }] };
}

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const lostAnswer = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

beforeEach(() => {
  ecsMock.reset();
});

describe('ensureRegistered under throttling', () => {
  test('a throttled RegisterTaskDefinition is retried, the retry said in the log, after looking for an identical revision', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: revision(OLDER_ARN, 'web:older'), tags: [] });
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejectsOnce(throttled())
      .resolves({ taskDefinition: { taskDefinitionArn: REGISTERED_ARN } });
    const log = silentLogger();

    const result = await ensureRegistered(ecs, rendered(), TAGS, undefined, { log, clock: fakeClock() });

    expect(result).toEqual({ kind: 'registered', arn: REGISTERED_ARN });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(2);
    // Once before the first attempt, once before the retry.
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(2);
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^RegisterTaskDefinition of web failed \\(ThrottlingException: Rate exceeded\\); attempt 2 of ${REGISTER_ATTEMPTS} in`),
      ),
    );
  });

  test('a registration whose answer was lost is not repeated: the identical revision it made is taken', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .resolvesOnce({ taskDefinition: revision(OLDER_ARN, 'web:older'), tags: [] })
      .resolves({ taskDefinition: revision(REGISTERED_ARN, IMAGE), tags: [] });
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(lostAnswer());
    const log = silentLogger();

    const result = await ensureRegistered(ecs, rendered(), TAGS, undefined, { log, clock: fakeClock() });

    expect(result).toEqual({ kind: 'registered', arn: REGISTERED_ARN });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
    expect(log.lines).toContainEqual(`RegisterTaskDefinition had taken effect: ${REGISTERED_ARN} is identical.`);
  });

  test('without retry options a transient failure is thrown at once, as before', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: revision(OLDER_ARN, 'web:older'), tags: [] });
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(throttled());

    await expect(ensureRegistered(ecs, rendered(), TAGS, undefined)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
  });
});
