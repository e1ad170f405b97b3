import { beforeAll, describe as group, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { EventBridgeClient, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { ecsTarget, scheduleOf, withRevision } from '../support/scheduled-task-fixtures';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

// deploy-ecs without a service (register only, for scheduled and one-off tasks) with the inputs that act after the
// registration: scheduled-tasks and keep-revisions, through the bundled action. The service settings are refused.
const sandbox = useSandbox({ timeScale: 0.2 });
const ecs = () => ecsClient(sandbox);
const events = () => new EventBridgeClient(clientConfig(sandbox));
const scheduler = () => new SchedulerClient(clientConfig(sandbox));

let workdir: string;
const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env(), cwd: workdir });

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'register-only-'));
});

/** A one-container Fargate job of `family`, as a task definition file or a RegisterTaskDefinition input. */
const definitionOf = (family: string, image: string): RegisterTaskDefinitionCommandInput => ({
  family,
  executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'job', image, essential: true, command: ['report'] }],
});

/** Revisions 1 to `count` of `family` registered as an earlier job would, each with an image of its own. */
async function registerRevisions(family: string, count: number): Promise<string[]> {
  const arns: string[] = [];
  for (let revision = 1; revision <= count; revision++) {
    const answer = await ecs().send(new RegisterTaskDefinitionCommand(definitionOf(family, `${REGISTRY}/${family}:old-${revision}`)));
    arns.push(answer.taskDefinition!.taskDefinitionArn!);
  }
  return arns;
}

/** The task definition file of `family` with `image`, written to the workspace. */
function writeFile(family: string, image: string): string {
  const file = `${family}.json`;
  writeFileSync(join(workdir, file), JSON.stringify(definitionOf(family, image)));
  return file;
}

async function activeRevisions(family: string): Promise<number[]> {
  const listed = await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }));
  return (listed.taskDefinitionArns ?? []).map((arn) => Number(arn.split(':').at(-1))).sort((a, b) => a - b);
}

const targetsOf = async (rule: string): Promise<Target[]> =>
  (await events().send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets ?? [];

group('deploy-ecs without a service: scheduled-tasks', () => {
  test("after the registration, a rule's and a schedule's ECS targets run the new revision, every other field kept", async () => {
    const [first] = await registerRevisions('exporter', 1);
    await events().send(new PutRuleCommand({ Name: 'exporter-nightly', ScheduleExpression: 'cron(0 3 * * ? *)' }));
    const nightly = ecsTarget('export', first);
    const lambda: Target = { Id: 'notify', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:notify' };
    await events().send(new PutTargetsCommand({ Rule: 'exporter-nightly', Targets: [nightly, lambda] }));
    await scheduler().send(new CreateScheduleGroupCommand({ Name: 'exports' }));
    await scheduler().send(new CreateScheduleCommand(scheduleOf('warehouse', 'exports', first)));
    const before = await scheduler().send(new GetScheduleCommand({ Name: 'warehouse', GroupName: 'exports' }));
    const from = sandbox.calls.length;

    const run = await deploy({
      cluster: 'prod',
      'task-definition': writeFile('exporter', `${REGISTRY}/exporter:v1`),
      image: `${REGISTRY}/exporter:v2`,
      'scheduled-tasks': 'rule:exporter-nightly\nschedule:exports/warehouse',
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered-only');
    const next = run.outputs['task-definition-arn'];
    expect(next).toMatch(/task-definition\/exporter:2$/);
    // Checked before the registration, moved after it, and no service read or changed.
    const calls = sandbox.calls.slice(from);
    expect(mutatingCalls(calls)).toEqual(['ecs:RegisterTaskDefinition', 'events:PutTargets', 'scheduler:UpdateSchedule']);
    const operations = calls.map((call) => call.operation);
    expect(operations.indexOf('ListTargetsByRule')).toBeLessThan(operations.indexOf('RegisterTaskDefinition'));
    expect(operations.filter((operation) => /Service/.test(operation))).toEqual([]);
    expect(await targetsOf('exporter-nightly')).toEqual([withRevision(nightly, next), lambda]);
    const after = await scheduler().send(new GetScheduleCommand({ Name: 'warehouse', GroupName: 'exports' }));
    const { $metadata: _b, LastModificationDate: _bl, ...kept } = before;
    const { $metadata: _a, LastModificationDate: _al, ...now } = after;
    expect(now).toEqual({ ...kept, Target: { ...kept.Target, EcsParameters: { ...kept.Target!.EcsParameters, TaskDefinitionArn: next } } });
    expect(run.log).toContain('rule exporter-nightly on bus default, target export: exporter:1 → exporter:2');
    expect(run.log).toContain('schedule exports/warehouse, target: exporter:1 → exporter:2');
    expect(run.summary).toContain('| Scheduled tasks run this family |');
    expect(run.summary).toContain('| rule exporter-nightly on bus default, target export | exporter:1 | exporter:2 |');
    expect(run.summary).toContain('| schedule exports/warehouse, target | exporter:1 | exporter:2 |');
  });

  test('a rule whose ECS target runs another family is refused before anything is registered, naming the line', async () => {
    await registerRevisions('invoicer', 1);
    await events().send(new PutRuleCommand({ Name: 'invoicer-close', ScheduleExpression: 'rate(1 day)' }));
    const other = 'arn:aws:ecs:us-east-1:000000000000:task-definition/payroll:7';
    await events().send(new PutTargetsCommand({ Rule: 'invoicer-close', Targets: [ecsTarget('close', other)] }));
    const from = sandbox.calls.length;

    const run = await deploy({
      cluster: 'prod',
      'task-definition': writeFile('invoicer', `${REGISTRY}/invoicer:v2`),
      'scheduled-tasks': 'rule:invoicer-close',
    });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).join('\n')).toMatch(
      /Input 'scheduled-tasks' line "rule:invoicer-close".*payroll:7, of family payroll, not invoicer, the family this step registers\./,
    );
    expect(mutatingCalls(sandbox.calls.slice(from))).toEqual([]);
    expect(await activeRevisions('invoicer')).toEqual([1]);
    expect((await targetsOf('invoicer-close'))[0].EcsParameters?.TaskDefinitionArn).toBe(other);
  });

  test('a PutTargets entry that fails fails the step, saying the revision was registered and what was already moved', async () => {
    const [first] = await registerRevisions('settler', 1);
    await scheduler().send(new CreateScheduleCommand(scheduleOf('settler-export', 'default', first)));
    await events().send(new PutRuleCommand({ Name: 'settler-nightly', ScheduleExpression: 'rate(1 day)' }));
    await events().send(new PutTargetsCommand({ Rule: 'settler-nightly', Targets: [ecsTarget('settle', first)] }));
    sandbox.setFaults({
      rules: [
        {
          service: 'events',
          operation: 'PutTargets',
          match: { Rule: 'settler-nightly' },
          effect: { kind: 'failed-entry', code: 'ConcurrentModificationException', message: 'Another change is in progress.' },
        },
      ],
    });
    try {
      const run = await deploy({
        cluster: 'prod',
        'task-definition': writeFile('settler', `${REGISTRY}/settler:v2`),
        'scheduled-tasks': 'schedule:settler-export\nrule:settler-nightly',
      });

      expect(run.exitCode).toBe(1);
      const [error] = errorsOf(run);
      expect(error).toMatch(/^The revision was registered, but moving the scheduled tasks of 'rule:settler-nightly'/);
      expect(error).toContain('Already moved to settler:2: schedule default/settler-export, target (from settler:1).');
      expect(run.outputs['task-definition-arn']).toMatch(/settler:2$/);
      expect((await targetsOf('settler-nightly'))[0].EcsParameters?.TaskDefinitionArn).toBe(first);
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

group('deploy-ecs without a service: keep-revisions', () => {
  test('after the registration, only revisions beyond the newest N that nothing uses are deregistered', async () => {
    const arns = await registerRevisions('cruncher', 5);
    // Revision 2 is a rule's target (not named in scheduled-tasks), 3 a schedule's, 4 a service's in another cluster.
    await events().send(new PutRuleCommand({ Name: 'cruncher-hourly', ScheduleExpression: 'rate(1 hour)' }));
    await events().send(new PutTargetsCommand({ Rule: 'cruncher-hourly', Targets: [ecsTarget('crunch', arns[1])] }));
    await scheduler().send(new CreateScheduleCommand(scheduleOf('cruncher-weekly', 'default', arns[2])));
    await ecs().send(new CreateClusterCommand({ clusterName: 'cruncher-replica' }));
    await ecs().send(
      new CreateServiceCommand({
        cluster: 'cruncher-replica',
        serviceName: 'cruncher-reader',
        taskDefinition: arns[3],
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      }),
    );
    const from = sandbox.calls.length;

    const run = await deploy({
      cluster: 'prod',
      'task-definition': writeFile('cruncher', `${REGISTRY}/cruncher:v1`),
      'keep-revisions': '2',
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered-only');
    expect(run.outputs['task-definition-arn']).toMatch(/cruncher:6$/);
    expect(await activeRevisions('cruncher')).toEqual([2, 3, 4, 5, 6]);
    expect(mutatingCalls(sandbox.calls.slice(from))).toEqual(['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition']);
    expect(run.log).toContain('kept cruncher:2: rule cruncher-hourly on bus default, target crunch, runs it');
    expect(run.log).toContain('kept cruncher:3: schedule default/cruncher-weekly runs it');
    expect(run.log).toMatch(/kept cruncher:4: service cruncher-reader runs it \(PRIMARY deployment\)/);
    expect(run.log).not.toContain('rollback target');
    expect(run.summary).toContain('| cruncher:1 | deregistered | beyond the newest 2, not in use |');
    expect(run.summary).toContain('| cruncher:6 | kept | one of the newest 2 |');
  });

  test('with scheduled-tasks, the revision the moves left is free and deregistered', async () => {
    const arns = await registerRevisions('tallier', 3);
    await events().send(new PutRuleCommand({ Name: 'tallier-daily', ScheduleExpression: 'rate(1 day)' }));
    await events().send(new PutTargetsCommand({ Rule: 'tallier-daily', Targets: [ecsTarget('tally', arns[0])] }));

    const run = await deploy({
      cluster: 'prod',
      'task-definition': writeFile('tallier', `${REGISTRY}/tallier:v1`),
      'scheduled-tasks': 'rule:tallier-daily',
      'keep-revisions': '2',
    });

    expect(run.exitCode).toBe(0);
    expect((await targetsOf('tallier-daily'))[0].EcsParameters?.TaskDefinitionArn).toBe(run.outputs['task-definition-arn']);
    expect(await activeRevisions('tallier')).toEqual([3, 4]);
    expect(run.summary).toContain('| tallier:1 | deregistered | beyond the newest 2, not in use |');
  });
});

group('deploy-ecs without a service refuses the service settings', () => {
  test('enable-execute-command, propagate-tags, enable-ecs-managed-tags and health-check-grace-period, named, before any call', async () => {
    const from = sandbox.calls.length;

    const run = await deploy({
      cluster: 'prod',
      'task-definition': writeFile('lonely', `${REGISTRY}/lonely:v1`),
      'enable-execute-command': 'true',
      'propagate-tags': 'SERVICE',
      'enable-ecs-managed-tags': 'true',
      'health-check-grace-period': '90s',
    });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      "Inputs 'enable-execute-command', 'propagate-tags', 'enable-ecs-managed-tags', 'health-check-grace-period' act on a service, but 'service' is not given: without one deploy-ecs only registers the task definition. Remove them, or give the service.",
    ]);
    expect(sandbox.calls.slice(from)).toEqual([]);
  });
});
