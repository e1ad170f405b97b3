import { describe as group, expect, test } from '@jest/globals';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mutatingCalls } from '../support/bad-input';
import { createService, REGISTRY } from '../support/ecs-fixtures';
import { ecsTarget, scheduleOf as schedule, withRevision } from '../support/scheduled-task-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

const sandbox = useSandbox({ timeScale: 0.2 });
const events = () => new EventBridgeClient(clientConfig(sandbox));
const scheduler = () => new SchedulerClient(clientConfig(sandbox));
const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });

/** A settled service of `name` on revision 1, and a healthy next image. */
async function service(name: string) {
  const created = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
  const image = `${REGISTRY}/${name}:v2`;
  sandbox.script(image, { kind: 'healthy', startMs: 300 });
  return { ...created, image };
}

async function targetsOf(rule: string, bus?: string): Promise<Target[]> {
  return (await events().send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus }))).Targets ?? [];
}

group('deploy-ecs scheduled-tasks', () => {
  test('after the deploy succeeds, a rule on the default bus, a rule on another bus and a schedule run the new revision, every other field kept', async () => {
    const { cluster, service: name, image, taskDefinitionArn } = await service('reports');
    await events().send(new PutRuleCommand({ Name: 'reports-nightly', ScheduleExpression: 'cron(0 3 * * ? *)' }));
    const nightly = ecsTarget('report', taskDefinitionArn);
    const lambda: Target = { Id: 'notify', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:notify' };
    await events().send(new PutTargetsCommand({ Rule: 'reports-nightly', Targets: [nightly, lambda] }));
    await events().send(new CreateEventBusCommand({ Name: 'orders' }));
    await events().send(new PutRuleCommand({ Name: 'on-order', EventBusName: 'orders', EventPattern: '{"source":["shop"]}' }));
    const onOrder = ecsTarget('invoice', taskDefinitionArn);
    await events().send(new PutTargetsCommand({ Rule: 'on-order', EventBusName: 'orders', Targets: [onOrder] }));
    await scheduler().send(new CreateScheduleGroupCommand({ Name: 'batch' }));
    await scheduler().send(new CreateScheduleCommand(schedule('export', 'batch', taskDefinitionArn)));
    const before = await scheduler().send(new GetScheduleCommand({ Name: 'export', GroupName: 'batch' }));

    const run = await deploy({
      cluster,
      service: name,
      image,
      'scheduled-tasks': 'rule:reports-nightly\nrule:orders/on-order\nschedule:batch/export',
    });

    expect(run.exitCode).toBe(0);
    const next = run.outputs['task-definition-arn'];
    expect(next).toMatch(/task-definition\/reports:2$/);
    expect(await targetsOf('reports-nightly')).toEqual([withRevision(nightly, next), lambda]);
    expect(await targetsOf('on-order', 'orders')).toEqual([withRevision(onOrder, next)]);
    const after = await scheduler().send(new GetScheduleCommand({ Name: 'export', GroupName: 'batch' }));
    const { $metadata: _b, LastModificationDate: _bl, ...kept } = before;
    const { $metadata: _a, LastModificationDate: _al, ...now } = after;
    expect(now).toEqual({ ...kept, Target: { ...kept.Target, EcsParameters: { ...kept.Target!.EcsParameters, TaskDefinitionArn: next } } });
    expect(run.log).toContain('rule reports-nightly on bus default, target report: reports:1 → reports:2');
    expect(run.summary).toContain('| schedule batch/export, target | reports:1 | reports:2 |');
  });

  test('a rule whose ECS target runs another family is refused before any change, naming the line', async () => {
    const { cluster, service: name, image } = await service('ledger');
    await events().send(new PutRuleCommand({ Name: 'ledger-close', ScheduleExpression: 'rate(1 day)' }));
    const other = 'arn:aws:ecs:us-east-1:000000000000:task-definition/payroll:7';
    await events().send(new PutTargetsCommand({ Rule: 'ledger-close', Targets: [ecsTarget('close', other)] }));
    const from = sandbox.calls.length;

    const run = await deploy({ cluster, service: name, image, 'scheduled-tasks': 'rule:ledger-close' });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).join('\n')).toMatch(/Input 'scheduled-tasks' line "rule:ledger-close".*payroll:7, of family payroll, not ledger/);
    expect(mutatingCalls(sandbox.calls.slice(from))).toEqual([]);
  });

  test('a schedule that does not exist is refused before any change, naming the line', async () => {
    const { cluster, service: name, image } = await service('mailer');
    const from = sandbox.calls.length;

    const run = await deploy({ cluster, service: name, image, 'scheduled-tasks': 'schedule:digest' });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).join('\n')).toMatch(/Input 'scheduled-tasks' line "schedule:digest": there is no schedule default\/digest/);
    expect(mutatingCalls(sandbox.calls.slice(from))).toEqual([]);
  });

  test('a malformed line is refused before any AWS call, naming it and the format', async () => {
    const from = sandbox.calls.length;

    const run = await deploy({ cluster: 'prod', service: 'mailer', image: `${REGISTRY}/mailer:v3`, 'scheduled-tasks': 'cron:nightly' });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringContaining(`Input 'scheduled-tasks' line 1 ("cron:nightly") does not start with rule: or schedule:`),
    ]);
    expect(sandbox.calls.slice(from)).toEqual([]);
  });

  test('with wait false it is refused: the step would never know the deploy succeeded', async () => {
    const run = await deploy({ cluster: 'prod', service: 'mailer', wait: 'false', 'scheduled-tasks': 'schedule:digest' });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringContaining(`Input 'scheduled-tasks' acts once the deploy has completed successfully, but wait is false`),
    ]);
  });

  test('a PutTargets entry that fails fails the step naming the target and what was already moved', async () => {
    const { cluster, service: name, image, taskDefinitionArn } = await service('billing');
    await scheduler().send(new CreateScheduleCommand(schedule('billing-export', 'default', taskDefinitionArn)));
    await events().send(new PutRuleCommand({ Name: 'billing-nightly', ScheduleExpression: 'rate(1 day)' }));
    await events().send(new PutTargetsCommand({ Rule: 'billing-nightly', Targets: [ecsTarget('charge', taskDefinitionArn)] }));
    sandbox.setFaults({
      rules: [
        {
          service: 'events',
          operation: 'PutTargets',
          match: { Rule: 'billing-nightly' },
          effect: { kind: 'failed-entry', code: 'ConcurrentModificationException', message: 'Another change is in progress.' },
        },
      ],
    });
    try {
      const run = await deploy({ cluster, service: name, image, 'scheduled-tasks': 'schedule:billing-export\nrule:billing-nightly' });

      expect(run.exitCode).toBe(1);
      const [error] = errorsOf(run);
      expect(error).toContain("moving the scheduled tasks of 'rule:billing-nightly'");
      expect(error).toContain('PutTargets did not move target charge (ConcurrentModificationException: Another change is in progress.)');
      expect(error).toContain('Already moved to billing:2: schedule default/billing-export, target (from billing:1).');
      expect(run.outputs.status).toBe('succeeded');
      expect((await targetsOf('billing-nightly'))[0].EcsParameters?.TaskDefinitionArn).toBe(taskDefinitionArn);
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});
