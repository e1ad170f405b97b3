import { describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { LogFollower } from '../src/logs/log-follower';

const location = { group: '/ecs/web', stream: 'ecs/web/abc' };
const event = (message: string) => ({ message, timestamp: 1, ingestionTime: 1 });

describe('LogFollower', () => {
  test('reads from the head first, then from the last forward token, each event once', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs
      .on(GetLogEventsCommand, { startFromHead: true, nextToken: undefined })
      .resolves({ events: [event('a'), event('b')], nextForwardToken: 'f/2' })
      .on(GetLogEventsCommand, { nextToken: 'f/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [event('c')], nextForwardToken: 'f/3' })
      .on(GetLogEventsCommand, { nextToken: 'f/3' })
      .resolves({ events: [], nextForwardToken: 'f/3' });
    const follower = new LogFollower(logs as unknown as CloudWatchLogsClient, location);

    expect((await follower.readNew()).map((e) => e.message)).toEqual(['a', 'b']);
    expect((await follower.readNew()).map((e) => e.message)).toEqual(['c']);
    expect(await follower.readNew()).toEqual([]);
    const calls = logs.commandCalls(GetLogEventsCommand).map((call) => call.args[0].input);
    expect(calls[0]).toMatchObject({ logGroupName: '/ecs/web', logStreamName: 'ecs/web/abc', startFromHead: true });
    expect(calls.slice(1).every((input) => input.nextToken !== undefined && input.startFromHead === undefined)).toBe(true);
  });

  test('a stream not created yet reads as empty, and is read from its head once it exists', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs
      .on(GetLogEventsCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }))
      .resolvesOnce({ events: [event('first')], nextForwardToken: 'f/1' })
      .resolves({ events: [], nextForwardToken: 'f/1' });
    const follower = new LogFollower(logs as unknown as CloudWatchLogsClient, location);
    expect(await follower.readNew()).toEqual([]);
    expect((await follower.readNew()).map((e) => e.message)).toEqual(['first']);
    expect(logs.commandCalls(GetLogEventsCommand)[1].args[0].input.startFromHead).toBe(true);
  });

  test('a read whose second page is throttled keeps the first page, and the next read goes on after it: no line lost or doubled', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    logs
      .on(GetLogEventsCommand, { startFromHead: true, nextToken: undefined })
      .resolves({ events: [event('a'), event('b')], nextForwardToken: 'f/2' })
      .on(GetLogEventsCommand, { nextToken: 'f/2' })
      .rejectsOnce(throttled)
      .resolvesOnce({ events: [event('c')], nextForwardToken: 'f/3' })
      .on(GetLogEventsCommand, { nextToken: 'f/3' })
      .resolves({ events: [], nextForwardToken: 'f/3' });
    const follower = new LogFollower(logs as unknown as CloudWatchLogsClient, location);

    expect((await follower.readNew()).map((e) => e.message)).toEqual(['a', 'b']);
    expect((await follower.readNew()).map((e) => e.message)).toEqual(['c']);
    expect(await follower.readNew()).toEqual([]);
  });

  test('a read throttled before any page throws, for the poll loop to skip the round', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs.on(GetLogEventsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const follower = new LogFollower(logs as unknown as CloudWatchLogsClient, location);
    await expect(follower.readNew()).rejects.toThrow('Rate exceeded');
  });
});
