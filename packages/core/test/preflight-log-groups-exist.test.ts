import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { ClientFactory } from '../src/common/aws';
import { logGroupsExistCheck } from '../src/preflight/checks/log-groups-exist';
import { preflightFailure, preflightOf } from './support/preflight';

const logsMock = mockClient(CloudWatchLogsClient);
const regions: string[] = [];
const aws: ClientFactory = (Client, region) => {
  regions.push(region);
  return new Client({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } as never);
};
const container = (name: string, options: Record<string, string>): ContainerDefinition => ({
  name,
  image: 'web:1',
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'ecs', ...options } },
});
const check = (...containers: ContainerDefinition[]) =>
  logGroupsExistCheck({ definition: { family: 'web', containerDefinitions: containers }, aws, region: 'us-east-1' });

beforeEach(() => {
  logsMock.reset();
  regions.length = 0;
  logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/ecs/web' }, { logGroupName: '/ecs/web-old' }] });
});

describe('log-groups-exist', () => {
  test('a group that exists passes, found by prefix and matched by exact name', async () => {
    const report = await preflightOf(check(container('app', { 'awslogs-group': '/ecs/web' })));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'log group /ecs/web exists' });
    expect(logsMock.commandCalls(DescribeLogGroupsCommand)[0].args[0].input).toEqual({ logGroupNamePrefix: '/ecs/web' });
  });

  test('a group only some other name starts with is missing: the container, the group and both ways out are named', async () => {
    logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/ecs/webhooks' }] });
    const error = await preflightFailure(check(container('app', { 'awslogs-group': '/ecs/web' })));
    expect(error.message).toBe(
      'Container "app" writes to log group /ecs/web (us-east-1), which does not exist. Create it (aws logs create-log-group --log-group-name <name>), ' +
        'or set awslogs-create-group: "true" in its logConfiguration options (the task execution role then needs logs:CreateLogGroup). Nothing was changed.',
    );
  });

  test('the exact name is looked for on later pages too', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { nextToken: undefined })
      .resolves({ logGroups: [{ logGroupName: '/ecs/web-a' }], nextToken: 'n' })
      .on(DescribeLogGroupsCommand, { nextToken: 'n' })
      .resolves({ logGroups: [{ logGroupName: '/ecs/web' }] });
    const report = await preflightOf(check(container('app', { 'awslogs-group': '/ecs/web' })));
    expect(report.rows[0].status).toBe('pass');
  });

  test('awslogs-create-group "true" needs no look-up', async () => {
    const report = await preflightOf(check(container('app', { 'awslogs-group': '/ecs/new', 'awslogs-create-group': 'true' })));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: '1 container creates its group (awslogs-create-group)' });
    expect(logsMock.commandCalls(DescribeLogGroupsCommand)).toHaveLength(0);
  });

  test("a group in the awslogs-region option's region is looked up there", async () => {
    await preflightOf(check(container('app', { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-central-1' })));
    expect(regions).toEqual(['eu-central-1']);
  });

  test('a role that may not call logs:DescribeLogGroups gets a warning naming it', async () => {
    logsMock
      .on(DescribeLogGroupsCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: logs:DescribeLogGroups'), { name: 'AccessDeniedException' }));
    const report = await preflightOf(check(container('app', { 'awslogs-group': '/ecs/web' })));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message:
        'log group /ecs/web (us-east-1) of container "app" was not checked: the role may not call logs:DescribeLogGroups. Grant logs:DescribeLogGroups to have it checked.',
    });
  });

  test('containers without awslogs pass without a call', async () => {
    const report = await preflightOf(check({ name: 'app', image: 'web:1' }));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'no container writes to an awslogs group' });
    expect(logsMock.commandCalls(DescribeLogGroupsCommand)).toHaveLength(0);
  });
});
