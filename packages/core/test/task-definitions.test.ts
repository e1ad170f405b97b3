import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { describeTaskDefinition, ensureRegistered, newestRevision } from '../src/task-definition/register';
import type { RegistrableDefinition } from '../src/task-definition/strip';
import { ARN, described, handWritten, TAGS } from './support/task-definitions';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const NEWEST_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9';
const REGISTERED_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:10';

/** The hand-written definition with a new image: what a deploy renders. */
function rendered(image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.5.0'): RegistrableDefinition {
  const definition = handWritten();
  definition.containerDefinitions![0].image = image;
  return definition;
}

/** What DescribeTaskDefinition returns for a revision registered from `definition`. */
function describedFrom(definition: RegistrableDefinition, arn: string, revision: number): TaskDefinition {
  const base = described();
  return {
    ...base,
    taskDefinitionArn: arn,
    revision,
    containerDefinitions: [{ ...base.containerDefinitions![0], image: definition.containerDefinitions![0].image }],
  };
}

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: REGISTERED_ARN, revision: 10 } });
});

describe('ensureRegistered', () => {
  test('unchanged from the live revision: nothing is described or registered', async () => {
    const result = await ensureRegistered(ecs, handWritten(), TAGS, described());
    expect(result).toEqual({ kind: 'unchanged', arn: ARN });
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test('identical to the newest revision of the family: it is reused with the tags it has, not registered again', async () => {
    const kept = [{ key: 'github:commit', value: 'earlier' }];
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: describedFrom(rendered(), NEWEST_ARN, 9), tags: kept });
    const result = await ensureRegistered(ecs, rendered(), TAGS, described());
    expect(result).toEqual({ kind: 'reused', arn: NEWEST_ARN, tags: kept });
    const describes = ecsMock.commandCalls(DescribeTaskDefinitionCommand);
    expect(describes).toHaveLength(1);
    expect(describes[0].args[0].input).toEqual({ taskDefinition: 'web', include: ['TAGS'] });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  test('different from both: registered once, with the tags', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
    const definition = rendered();
    const result = await ensureRegistered(ecs, definition, TAGS, described());
    expect(result).toEqual({ kind: 'registered', arn: REGISTERED_ARN });
    const registers = ecsMock.commandCalls(RegisterTaskDefinitionCommand);
    expect(registers).toHaveLength(1);
    expect(registers[0].args[0].input).toEqual({ ...definition, tags: TAGS });
  });

  test('no tags: none are sent', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described() });
    await ensureRegistered(ecs, rendered(), [], described());
    const registers = ecsMock.commandCalls(RegisterTaskDefinitionCommand);
    expect(registers).toHaveLength(1);
    expect(registers[0].args[0].input.tags).toBeUndefined();
  });

  test('a live revision of another family is not a match, even if otherwise identical', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }));
    const live = { ...described(), family: 'web-old', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web-old:3' };
    const result = await ensureRegistered(ecs, handWritten(), TAGS, live);
    expect(result.kind).toBe('registered');
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
  });

  test('a family that does not exist yet (ClientException) is registered', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }));
    const result = await ensureRegistered(ecs, handWritten(), TAGS, undefined);
    expect(result).toEqual({ kind: 'registered', arn: REGISTERED_ARN });
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
  });

  test('other errors while looking for the newest revision stop before registering', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(new AccessDeniedException({ message: 'User is not authorized to perform: ecs:DescribeTaskDefinition', $metadata: {} }));
    await expect(ensureRegistered(ecs, rendered(), TAGS, described())).rejects.toThrow('not authorized');
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  test('a register answer without an ARN is an error', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described() });
    ecsMock.on(RegisterTaskDefinitionCommand).resolves({});
    await expect(ensureRegistered(ecs, rendered(), TAGS, described())).rejects.toThrow('no task definition ARN');
  });
});

describe('describeTaskDefinition and newestRevision', () => {
  test('describe returns the definition and its tags', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: TAGS });
    const result = await describeTaskDefinition(ecs, 'web:8');
    expect(result.definition.taskDefinitionArn).toBe(ARN);
    expect(result.tags).toEqual(TAGS);
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).toEqual({ taskDefinition: 'web:8', include: ['TAGS'] });
  });

  test('describe without tags gives an empty list', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described() });
    expect((await describeTaskDefinition(ecs, 'web')).tags).toEqual([]);
  });

  test('an answer without a definition is an error naming the reference', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({});
    await expect(describeTaskDefinition(ecs, 'web:99')).rejects.toThrow('web:99');
  });

  test('newestRevision is undefined for a family that does not exist', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }));
    await expect(newestRevision(ecs, 'nope')).resolves.toBeUndefined();
  });
});
