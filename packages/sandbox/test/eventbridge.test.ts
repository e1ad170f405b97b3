import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';

// EventBridge rules and targets through the real SDK client over awsJson1_1 (X-Amz-Target AWSEvents.*).

let sandbox: Sandbox;
const events = () => new EventBridgeClient(clientConfig(sandbox, 1));
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/prod';
const ROLE = 'arn:aws:iam::000000000000:role/ecsEventsRole';

const ecsTarget = (id: string, family: string): Target => ({
  Id: id,
  Arn: CLUSTER,
  RoleArn: ROLE,
  Input: '{"containerOverrides":[{"name":"app","command":["report"]}]}',
  RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
  EcsParameters: {
    TaskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:1`,
    TaskCount: 2,
    LaunchType: 'FARGATE',
    NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-1'], SecurityGroups: ['sg-1'], AssignPublicIp: 'DISABLED' } },
    PlatformVersion: 'LATEST',
    Group: 'reports',
    EnableECSManagedTags: true,
    PropagateTags: 'TASK_DEFINITION',
    Tags: [{ Key: 'team', Value: 'billing' }],
  },
});

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(() => sandbox.stop());

describe('EventBridge rules', () => {
  test('a scheduled rule on the default bus is described with its ARN and state', async () => {
    const put = await events().send(
      new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', Description: 'report' }),
    );
    expect(put.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/nightly');
    const rule = await events().send(new DescribeRuleCommand({ Name: 'nightly' }));
    expect(rule).toMatchObject({ Name: 'nightly', State: 'ENABLED', ScheduleExpression: 'cron(0 3 * * ? *)', EventBusName: 'default' });
  });

  test('a rule on another bus has the bus in its ARN, and is not found on the default bus', async () => {
    await events().send(new CreateEventBusCommand({ Name: 'orders' }));
    const put = await events().send(new PutRuleCommand({ Name: 'on-order', EventBusName: 'orders', EventPattern: '{"source":["shop"]}' }));
    expect(put.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/orders/on-order');
    await expect(events().send(new DescribeRuleCommand({ Name: 'on-order' }))).rejects.toThrow(
      'Rule on-order does not exist on EventBus default.',
    );
  });

  test('ListEventBuses lists the default bus and those created', async () => {
    const listed = await events().send(new ListEventBusesCommand({}));
    expect(listed.EventBuses?.map((bus) => bus.Name)).toEqual(['default', 'orders']);
  });

  test('a bus is named by its ARN as well as its name', async () => {
    const rule = await events().send(
      new DescribeRuleCommand({ Name: 'on-order', EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' }),
    );
    expect(rule.EventBusName).toBe('orders');
  });

  test('a schedule expression is refused on a bus other than the default one', async () => {
    await expect(
      events().send(new PutRuleCommand({ Name: 'x', EventBusName: 'orders', ScheduleExpression: 'rate(5 minutes)' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  test('a rule with neither a pattern nor a schedule is refused', async () => {
    await expect(events().send(new PutRuleCommand({ Name: 'empty' }))).rejects.toThrow(
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
  });

  test('a rule name outside its pattern is refused as a validation error', async () => {
    await expect(events().send(new DescribeRuleCommand({ Name: 'rule/nightly' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('ListRules lists the rules of the bus by prefix', async () => {
    await events().send(new PutRuleCommand({ Name: 'nightly-cleanup', ScheduleExpression: 'rate(1 day)' }));
    const listed = await events().send(new ListRulesCommand({ NamePrefix: 'nightly' }));
    expect(listed.Rules?.map((rule) => rule.Name)).toEqual(['nightly', 'nightly-cleanup']);
  });
});

describe('EventBridge targets', () => {
  test('ListTargetsByRule gives each target back with every field PutTargets stored', async () => {
    const target = ecsTarget('report', 'report');
    const put = await events().send(new PutTargetsCommand({ Rule: 'nightly', Targets: [target] }));
    expect(put.FailedEntryCount).toBe(0);
    const listed = await events().send(new ListTargetsByRuleCommand({ Rule: 'nightly' }));
    expect(listed.Targets).toEqual([target]);
  });

  test('a target of a missing rule is refused ResourceNotFoundException', async () => {
    const error = await events()
      .send(new PutTargetsCommand({ Rule: 'missing', Targets: [ecsTarget('a', 'report')] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Rule missing does not exist on EventBus default.');
  });

  test('an ECS target without a role is refused', async () => {
    const { RoleArn: _role, ...withoutRole } = ecsTarget('norole', 'report');
    await expect(events().send(new PutTargetsCommand({ Rule: 'nightly', Targets: [withoutRole] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  test('ListRuleNamesByTarget names the rules whose targets invoke the ARN', async () => {
    const listed = await events().send(new ListRuleNamesByTargetCommand({ TargetArn: CLUSTER }));
    expect(listed.RuleNames).toEqual(['nightly']);
  });

  test('a failed-entry fault answers the entry in FailedEntries and leaves the target as it was', async () => {
    sandbox.setFaults({
      rules: [{ service: 'events', operation: 'PutTargets', match: { Rule: 'nightly' }, count: 1, effect: { kind: 'failed-entry' } }],
    });
    const put = await events().send(new PutTargetsCommand({ Rule: 'nightly', Targets: [ecsTarget('report', 'other')] }));
    sandbox.setFaults(undefined);
    expect(put.FailedEntryCount).toBe(1);
    expect(put.FailedEntries).toEqual([expect.objectContaining({ TargetId: 'report', ErrorCode: 'InternalFailure' })]);
    const listed = await events().send(new ListTargetsByRuleCommand({ Rule: 'nightly' }));
    expect(listed.Targets?.[0].EcsParameters?.TaskDefinitionArn).toMatch(/task-definition\/report:1$/);
  });

  test('RemoveTargets removes by Id and reports an Id the rule does not have', async () => {
    await events().send(new PutTargetsCommand({ Rule: 'nightly-cleanup', Targets: [ecsTarget('cleanup', 'cleanup')] }));
    const removed = await events().send(new RemoveTargetsCommand({ Rule: 'nightly-cleanup', Ids: ['cleanup', 'nope'] }));
    expect(removed.FailedEntries?.map((entry) => entry.TargetId)).toEqual(['nope']);
    expect((await events().send(new ListTargetsByRuleCommand({ Rule: 'nightly-cleanup' }))).Targets).toEqual([]);
  });
});

describe('EventBridge under an IAM policy', () => {
  test('ListTargetsByRule needs events:ListTargetsByRule on the rule', async () => {
    sandbox.setIamPolicy({ allow: ['events:DescribeRule'] });
    try {
      await expect(events().send(new ListTargetsByRuleCommand({ Rule: 'nightly' }))).rejects.toThrow(
        /not authorized to perform: events:ListTargetsByRule on resource: arn:aws:events:us-east-1:000000000000:rule\/nightly/,
      );
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });

  test('PutTargets also needs iam:PassRole on the role of the target', async () => {
    sandbox.setIamPolicy({ allow: ['events:PutTargets'] });
    try {
      await expect(events().send(new PutTargetsCommand({ Rule: 'nightly', Targets: [ecsTarget('report', 'report')] }))).rejects.toThrow(
        `not authorized to perform: iam:PassRole on resource: ${ROLE}`,
      );
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });
});
