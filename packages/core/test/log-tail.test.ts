import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { awslogsLocation, readLogTail } from '../src/logs/log-tail';
import { silentLogger } from '../src/common/logger';

const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function web(logConfiguration?: ContainerDefinition['logConfiguration']): ContainerDefinition {
  return { name: 'web', image: 'example/web:1', logConfiguration };
}

describe('awslogsLocation', () => {
  test('<prefix>/<container>/<task-id> in the configured group and region', () => {
    const location = awslogsLocation(
      web({
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' },
      }),
      TASK_ARN,
    );
    expect(location).toEqual({ group: '/ecs/web', stream: 'ecs/web/0a1b2c3d4e5f60718293a4b5c6d7e8f9', region: 'eu-west-1' });
  });

  test('without awslogs-region the region is left to the caller', () => {
    const location = awslogsLocation(
      web({ logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-stream-prefix': 'p' } }),
      TASK_ARN,
    );
    expect(location).toEqual({ group: 'g', stream: 'p/web/0a1b2c3d4e5f60718293a4b5c6d7e8f9', region: undefined });
  });

  test.each<[string, ContainerDefinition | undefined]>([
    ['no container', undefined],
    ['no log configuration', web()],
    [
      'another driver',
      web({ logDriver: 'awsfirelens', options: { Name: 'cloudwatch', 'awslogs-group': 'g', 'awslogs-stream-prefix': 'p' } }),
    ],
    ['awslogs without a prefix', web({ logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1' } })],
    ['awslogs without a group', web({ logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'ecs' } })],
    ['awslogs without options', web({ logDriver: 'awslogs' })],
  ])('%s -> undefined', (_, container) => {
    expect(awslogsLocation(container, TASK_ARN)).toBeUndefined();
  });
});

describe('readLogTail', () => {
  const logsMock = mockClient(CloudWatchLogsClient);
  const client = new CloudWatchLogsClient({ region: 'us-east-1' });
  const location = { group: '/ecs/web', stream: 'ecs/web/0a1b2c3d4e5f60718293a4b5c6d7e8f9' };

  beforeEach(() => {
    logsMock.reset();
  });

  test('returns the messages, oldest first, without trailing whitespace', async () => {
    logsMock.on(GetLogEventsCommand).resolves({
      events: [
        { timestamp: 1767268800000, message: 'Listening on :8080\n', ingestionTime: 1767268800100 },
        { timestamp: 1767268801000, message: 'Error: connect ECONNREFUSED 10.0.1.5:5432  \r\n', ingestionTime: 1767268801100 },
        { timestamp: 1767268802000, message: '    at TCPConnectWrap.afterConnect', ingestionTime: 1767268802100 },
        { timestamp: 1767268803000, ingestionTime: 1767268803100 },
      ],
      nextForwardToken: 'f/1',
      nextBackwardToken: 'b/1',
    });
    const lines = await readLogTail(client, location, 20, silentLogger());
    expect(lines).toEqual(['Listening on :8080', 'Error: connect ECONNREFUSED 10.0.1.5:5432', '    at TCPConnectWrap.afterConnect', '']);
  });

  test('asks for the last `limit` events of the stream', async () => {
    logsMock.on(GetLogEventsCommand).resolves({ events: [] });
    await readLogTail(client, location, 20, silentLogger());
    const calls = logsMock.commandCalls(GetLogEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      logGroupName: '/ecs/web',
      logStreamName: 'ecs/web/0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      limit: 20,
      startFromHead: false,
    });
  });

  test('an empty stream gives no lines', async () => {
    logsMock.on(GetLogEventsCommand).resolves({});
    expect(await readLogTail(client, location, 20, silentLogger())).toEqual([]);
  });

  test('a missing stream is undefined, not an error', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } }));
    await expect(readLogTail(client, location, 20, silentLogger())).resolves.toBeUndefined();
  });

  test('other failures are also swallowed but noted in the debug log', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: logs:GetLogEvents'), { name: 'AccessDeniedException' }));
    const debug: string[] = [];
    const log = { ...silentLogger(), debug: (message: string) => void debug.push(message) };
    await expect(readLogTail(client, location, 20, log)).resolves.toBeUndefined();
    expect(debug.join('\n')).toContain('/ecs/web/ecs/web/0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(debug.join('\n')).toContain('not authorized');
  });

  test('a role without logs:GetLogEvents is a warning naming the permission, once a step however many tasks are read', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: logs:GetLogEvents'), { name: 'AccessDeniedException' }));
    const log = silentLogger();
    await readLogTail(client, location, 20, log);
    await readLogTail(client, location, 20, log);
    expect(log.lines).toEqual([
      'warning: Could not read the log of a stopped task (AccessDeniedException): the diagnosis has no log lines. Grant logs:GetLogEvents on /ecs/web to have them.',
    ]);
  });

  test('a missing stream is no warning', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } }));
    const log = silentLogger();
    await readLogTail(client, location, 20, log);
    expect(log.lines).toEqual([]);
  });
});
