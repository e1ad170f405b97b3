import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { start, type Sandbox } from '../src/index';
import { logsClient } from './support/harness';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
  const logs = logsClient(sandbox);
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/app' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/app', logStreamName: 'ecs/app/one' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/app', logStreamName: 'ecs/app/two' }));
});
afterAll(async () => {
  await sandbox.stop();
});

const put = (stream: string, messages: string[], at = Date.now()) =>
  logsClient(sandbox).send(
    new PutLogEventsCommand({
      logGroupName: '/ecs/app',
      logStreamName: stream,
      logEvents: messages.map((message, i) => ({ timestamp: at + i, message })),
    }),
  );

describe('CloudWatch Logs', () => {
  test('GetLogEvents pages forward and hands back the same token when nothing is new', async () => {
    const logs = logsClient(sandbox);
    await put('ecs/app/one', ['line 1', 'line 2', 'line 3']);
    const first = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/app', logStreamName: 'ecs/app/one', startFromHead: true, limit: 2 }),
    );
    expect(first.events?.map((e) => e.message)).toEqual(['line 1', 'line 2']);
    expect(first.nextForwardToken).toMatch(/^f\/\d{56}$/);
    expect(first.nextBackwardToken).toMatch(/^b\/\d{56}$/);
    const second = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/app',
        logStreamName: 'ecs/app/one',
        nextToken: first.nextForwardToken,
        startFromHead: true,
      }),
    );
    expect(second.events?.map((e) => e.message)).toEqual(['line 3']);
    const end = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/app',
        logStreamName: 'ecs/app/one',
        nextToken: second.nextForwardToken,
        startFromHead: true,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    await put('ecs/app/one', ['line 4']);
    const more = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/app',
        logStreamName: 'ecs/app/one',
        nextToken: end.nextForwardToken,
        startFromHead: true,
      }),
    );
    expect(more.events?.map((e) => e.message)).toEqual(['line 4']);
    expect(more.events?.[0].ingestionTime).toBeGreaterThanOrEqual(more.events?.[0].timestamp ?? Infinity);
    // Backwards from there returns what came before.
    const back = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/app', logStreamName: 'ecs/app/one', nextToken: more.nextBackwardToken, limit: 2 }),
    );
    expect(back.events?.map((e) => e.message)).toEqual(['line 2', 'line 3']);
  });

  test('without startFromHead, GetLogEvents returns the newest events', async () => {
    const answer = await logsClient(sandbox).send(
      new GetLogEventsCommand({ logGroupName: '/ecs/app', logStreamName: 'ecs/app/one', limit: 2 }),
    );
    expect(answer.events?.map((e) => e.message)).toEqual(['line 3', 'line 4']);
  });

  test('startTime and endTime bound the events (start inclusive, end exclusive)', async () => {
    const at = Date.now() + 10_000;
    await put('ecs/app/two', ['a', 'b', 'c'], at);
    const answer = await logsClient(sandbox).send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/app',
        logStreamName: 'ecs/app/two',
        startFromHead: true,
        startTime: at + 1,
        endTime: at + 2,
      }),
    );
    expect(answer.events?.map((e) => e.message)).toEqual(['b']);
  });

  test('FilterLogEvents matches terms across streams in time order', async () => {
    await put('ecs/app/two', ['ERROR: database unreachable', 'INFO ok']);
    const answer = await logsClient(sandbox).send(new FilterLogEventsCommand({ logGroupName: '/ecs/app', filterPattern: '?ERROR ?line' }));
    expect(answer.events?.map((e) => `${e.logStreamName}: ${e.message}`)).toEqual([
      'ecs/app/one: line 1',
      'ecs/app/one: line 2',
      'ecs/app/one: line 3',
      'ecs/app/one: line 4',
      'ecs/app/two: ERROR: database unreachable',
    ]);
    const prefixed = await logsClient(sandbox).send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/app', logStreamNamePrefix: 'ecs/app/t', filterPattern: '"INFO ok"' }),
    );
    expect(prefixed.events?.map((e) => e.message)).toEqual(['INFO ok']);
  });

  test('DescribeLogStreams and the errors Logs answers with', async () => {
    const logs = logsClient(sandbox);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/app', logStreamNamePrefix: 'ecs/app/' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['ecs/app/one', 'ecs/app/two']);
    expect(streams.logStreams?.[0].lastEventTimestamp).toBeGreaterThan(0);
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/app' }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/nope', logStreamName: 'x' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/app', logStreamName: 'x' }))).rejects.toThrow(
      'The specified log stream does not exist.',
    );
    const unordered = logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/app',
        logStreamName: 'ecs/app/one',
        logEvents: [
          { timestamp: 2, message: 'b' },
          { timestamp: 1, message: 'a' },
        ],
      }),
    );
    await expect(unordered).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
