import { describe as group, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

const sandbox = useSandbox({ timeScale: 0.2 });
const deploy = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runBundledAction('deploy-ecs', inputs, { env: { ...sandbox.env(), ...env } });
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/prod';
const warningsOf = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('::warning')).map((line) => line.text);

async function activeRevisions(family: string): Promise<number[]> {
  const listed = await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }));
  return (listed.taskDefinitionArns ?? []).map((arn) => Number(arn.split(':').at(-1))).sort((a, b) => a - b);
}

/**
 * A settled service of `name` on revision 1, then revisions 2 to `last` registered beside it (each with an image of
 * its own, so none is identical to the one the deploy renders), and a healthy next image.
 */
async function serviceWithRevisions(name: string, last: number) {
  const created = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
  const ecs = ecsClient(sandbox);
  const first = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: created.taskDefinitionArn }))).taskDefinition!;
  const arns = [created.taskDefinitionArn];
  for (let revision = 2; revision <= last; revision++) {
    const input: RegisterTaskDefinitionCommandInput = {
      family: name,
      executionRoleArn: first.executionRoleArn,
      networkMode: first.networkMode,
      requiresCompatibilities: first.requiresCompatibilities,
      cpu: first.cpu,
      memory: first.memory,
      containerDefinitions: first.containerDefinitions!.map((c) => ({ ...c, image: `${REGISTRY}/${name}:old-${revision}` })),
    };
    arns.push((await ecs.send(new RegisterTaskDefinitionCommand(input))).taskDefinition!.taskDefinitionArn!);
  }
  const image = `${REGISTRY}/${name}:v2`;
  sandbox.script(image, { kind: 'healthy', startMs: 300 });
  return { ...created, arns, image };
}

group('deploy-ecs keep-revisions', () => {
  test('beyond the newest N, only revisions nothing uses are deregistered, and each kept one says why', async () => {
    const { cluster, service, arns, image } = await serviceWithRevisions('archive', 7);
    // Revision 2 is an EventBridge rule's target on another bus, 3 a schedule's in another group, 4 another cluster's service.
    const events = new EventBridgeClient(clientConfig(sandbox));
    await events.send(new CreateEventBusCommand({ Name: 'archive-events' }));
    await events.send(new PutRuleCommand({ Name: 'on-upload', EventBusName: 'archive-events', EventPattern: '{"source":["uploads"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'on-upload',
        EventBusName: 'archive-events',
        Targets: [
          {
            Id: 'index',
            Arn: CLUSTER,
            RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
            EcsParameters: { TaskDefinitionArn: arns[1] },
          },
        ],
      }),
    );
    const scheduler = new SchedulerClient(clientConfig(sandbox));
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'archive-batch' }));
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'compact',
        GroupName: 'archive-batch',
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: CLUSTER, RoleArn: 'arn:aws:iam::000000000000:role/schedulerRole', EcsParameters: { TaskDefinitionArn: arns[2] } },
      }),
    );
    const ecs = ecsClient(sandbox);
    await ecs.send(new CreateClusterCommand({ clusterName: 'archive-replica' }));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'archive-replica',
        serviceName: 'archive-reader',
        taskDefinition: arns[3],
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      }),
    );
    const from = sandbox.calls.length;

    const run = await deploy({ cluster, service, image, 'keep-revisions': '2' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['task-definition-arn']).toMatch(/archive:8$/);
    expect(await activeRevisions('archive')).toEqual([1, 2, 3, 4, 7, 8]);
    const deregistered = sandbox.calls.slice(from).filter((call) => call.operation === 'DeregisterTaskDefinition');
    expect(deregistered).toHaveLength(2);
    expect(run.log).toContain('kept archive:1: the rollback target (previous-task-definition-arn)');
    expect(run.log).toContain('kept archive:2: rule on-upload on bus archive-events, target index, runs it');
    expect(run.log).toContain('kept archive:3: schedule archive-batch/compact runs it');
    expect(run.log).toMatch(/kept archive:4: service archive-reader runs it \(PRIMARY deployment\)/);
    expect(run.summary).toContain('| archive:6 | deregistered | beyond the newest 2, not in use |');
    expect(run.summary).toContain('| archive:8 | kept | one of the newest 2 |');
  });

  test.each(['0', '1', 'ten'])('keep-revisions: %s is refused before any AWS call, naming the input', async (value) => {
    const from = sandbox.calls.length;

    const run = await deploy({ cluster: 'prod', service: 'archive', image: `${REGISTRY}/archive:v3`, 'keep-revisions': value });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'keep-revisions' must be a whole number of at least 2 (the revision deployed and one to roll back to), such as 10; got "${value}".`,
    ]);
    expect(sandbox.calls.slice(from)).toEqual([]);
  });

  test('a role that may not list the schedules skips the clean-up with a warning naming the permission, and deregisters nothing', async () => {
    const { cluster, service, image } = await serviceWithRevisions('ledger-archive', 4);
    const key = 'AKIAKEEPREVISIONS1';
    sandbox.setIamPolicy(
      {
        Statement: [
          { Effect: 'Allow', Action: '*' },
          { Effect: 'Deny', Action: 'scheduler:ListSchedules' },
        ],
      },
      key,
    );
    const from = sandbox.calls.length;

    const run = await deploy({ cluster, service, image, 'keep-revisions': '2' }, { AWS_ACCESS_KEY_ID: key });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(warningsOf(run).join('\n')).toContain(
      'keep-revisions: the clean-up was skipped and nothing was deregistered: the role may not call scheduler:ListSchedules',
    );
    expect(sandbox.calls.slice(from).filter((call) => call.operation === 'DeregisterTaskDefinition')).toEqual([]);
    expect(await activeRevisions('ledger-archive')).toEqual([1, 2, 3, 4, 5]);
    expect(run.summary).toContain('Skipped, nothing deregistered');
  });

  test('a clean-up that fails is a warning saying so; the deploy stays green', async () => {
    const { cluster, service, image } = await serviceWithRevisions('photo-archive', 4);
    sandbox.setFaults({
      rules: [
        {
          service: 'ecs',
          operation: 'DeregisterTaskDefinition',
          effect: { kind: 'error', code: 'ClientException', message: 'Too many concurrent attempts.' },
        },
      ],
    });
    try {
      const run = await deploy({ cluster, service, image, 'keep-revisions': '3' });

      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('succeeded');
      expect(warningsOf(run).join('\n')).toMatch(
        /keep-revisions: the clean-up failed: Too many concurrent attempts\. The deploy itself succeeded\./,
      );
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});
