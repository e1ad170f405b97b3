import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { pacedRegistrations } from '../src/ecs/registration-pacing';
import { fakeClock } from './support/fake-clock';

const ecsMock = mockClient(ECSClient);
const definition = (family: string, image: string) => ({ family, containerDefinitions: [{ name: 'app', image }] });

describe('pacedRegistrations', () => {
  beforeEach(() => {
    ecsMock.reset();
    let revision = 0;
    ecsMock.on(RegisterTaskDefinitionCommand).callsFake(async (input: { family: string }) => ({
      taskDefinition: { taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${input.family}:${++revision}` },
    }));
  });

  test('the same definition (tags aside) is registered once, both callers get its revision', async () => {
    const ecs = pacedRegistrations(new ECSClient({ region: 'us-east-1' }), { clock: fakeClock() });

    const [a, b] = await Promise.all([
      ecs.send(new RegisterTaskDefinitionCommand({ ...definition('api', 'api:v2'), tags: [{ key: 'from', value: 'blue' }] })),
      ecs.send(new RegisterTaskDefinitionCommand({ ...definition('api', 'api:v2'), tags: [{ key: 'from', value: 'green' }] })),
    ]);

    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
    expect(b.taskDefinition?.taskDefinitionArn).toBe(a.taskDefinition?.taskDefinitionArn);
  });

  test('registrations beyond the burst wait for the rate; other calls do not', async () => {
    const clock = fakeClock(0);
    const ecs = pacedRegistrations(new ECSClient({ region: 'us-east-1' }), { clock, rate: { burst: 2, perSecond: 1 } });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [] });
    // When each registration reached ECS.
    const at: number[] = [];
    ecsMock.on(RegisterTaskDefinitionCommand).callsFake(async () => {
      at.push(clock.now());
      return { taskDefinition: { taskDefinitionArn: 'arn' } };
    });

    await Promise.all(['a', 'b', 'c'].map((family) => ecs.send(new RegisterTaskDefinitionCommand(definition(family, 'x')))));
    const describedAt = clock.now();
    await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['a'] }));

    expect(at.slice(0, 2)).toEqual([0, 0]);
    expect(at[2]).toBeGreaterThanOrEqual(1000);
    expect(clock.now()).toBe(describedAt);
  });
});
