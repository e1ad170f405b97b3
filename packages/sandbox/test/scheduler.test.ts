import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ConflictException,
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';

// EventBridge Scheduler through the real SDK client over restJson1 (method and path name the operation).

let sandbox: Sandbox;
const scheduler = () => new SchedulerClient(clientConfig(sandbox, 1));
const ROLE = 'arn:aws:iam::000000000000:role/schedulerRole';

const schedule = (name: string, group?: string): CreateScheduleCommandInput => ({
  Name: name,
  ...(group ? { GroupName: group } : {}),
  ScheduleExpression: 'cron(0 3 * * ? *)',
  ScheduleExpressionTimezone: 'Europe/Paris',
  Description: 'nightly export',
  StartDate: new Date('2026-01-01T00:00:00Z'),
  FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
  Target: {
    Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/prod',
    RoleArn: ROLE,
    RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
    EcsParameters: {
      TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/export:1',
      TaskCount: 1,
      LaunchType: 'FARGATE',
    },
  },
});

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(() => sandbox.stop());

describe('EventBridge Scheduler schedules', () => {
  test('a schedule in the default group is read back with every field it was created with', async () => {
    const created = await scheduler().send(new CreateScheduleCommand(schedule('export')));
    expect(created.ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/export');
    const got = await scheduler().send(new GetScheduleCommand({ Name: 'export' }));
    const { Name: _n, ...fields } = schedule('export');
    expect(got).toMatchObject({ ...fields, Name: 'export', GroupName: 'default', State: 'ENABLED', ActionAfterCompletion: 'NONE' });
  });

  test('a second schedule of the same name in the group is refused ConflictException', async () => {
    await expect(scheduler().send(new CreateScheduleCommand(schedule('export')))).rejects.toBeInstanceOf(ConflictException);
  });

  test('a missing schedule is ResourceNotFoundException', async () => {
    await expect(scheduler().send(new GetScheduleCommand({ Name: 'missing' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('a schedule in a group that does not exist is ResourceNotFoundException', async () => {
    await expect(scheduler().send(new GetScheduleCommand({ Name: 'export', GroupName: 'nope' }))).rejects.toThrow(
      'Schedule group nope does not exist.',
    );
  });

  test('a schedule in another group is found there only', async () => {
    await scheduler().send(new CreateScheduleGroupCommand({ Name: 'batch' }));
    await scheduler().send(new CreateScheduleCommand(schedule('rollup', 'batch')));
    expect((await scheduler().send(new GetScheduleCommand({ Name: 'rollup', GroupName: 'batch' }))).Arn).toMatch(
      /schedule\/batch\/rollup$/,
    );
    await expect(scheduler().send(new GetScheduleCommand({ Name: 'rollup' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('UpdateSchedule replaces the whole schedule: a field not sent again is gone', async () => {
    const { Description: _d, ScheduleExpressionTimezone: _tz, ...without } = schedule('export');
    await scheduler().send(new UpdateScheduleCommand({ ...without, State: 'DISABLED' }));
    const got = await scheduler().send(new GetScheduleCommand({ Name: 'export' }));
    expect(got.State).toBe('DISABLED');
    expect(got.Description).toBeUndefined();
    expect(got.ScheduleExpressionTimezone).toBeUndefined();
  });

  test('a target without a role is refused ValidationException', async () => {
    const input = schedule('norole');
    await expect(
      scheduler().send(new CreateScheduleCommand({ ...input, Target: { ...input.Target!, RoleArn: undefined } })),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  test('a flexible window without its maximum is refused ValidationException', async () => {
    await expect(
      scheduler().send(new CreateScheduleCommand({ ...schedule('window'), FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  test('ListSchedules lists every group without ScheduleGroup, one group with it', async () => {
    const all = await scheduler().send(new ListSchedulesCommand({}));
    expect(all.Schedules?.map((s) => `${s.GroupName}/${s.Name}`)).toEqual(['default/export', 'batch/rollup']);
    const batch = await scheduler().send(new ListSchedulesCommand({ GroupName: 'batch' }));
    expect(batch.Schedules?.map((s) => s.Name)).toEqual(['rollup']);
    expect(batch.Schedules?.[0].Target?.Arn).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/prod');
  });

  test('DeleteSchedule removes it', async () => {
    await scheduler().send(new DeleteScheduleCommand({ Name: 'rollup', GroupName: 'batch' }));
    await expect(scheduler().send(new GetScheduleCommand({ Name: 'rollup', GroupName: 'batch' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('EventBridge Scheduler under an IAM policy', () => {
  test('GetSchedule needs scheduler:GetSchedule on the schedule, answered 403 AccessDeniedException', async () => {
    sandbox.setIamPolicy({ allow: ['scheduler:ListSchedules'] });
    try {
      const error = await scheduler()
        .send(new GetScheduleCommand({ Name: 'export' }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
      expect((error as Error).message).toContain(
        'scheduler:GetSchedule on resource: arn:aws:scheduler:us-east-1:000000000000:schedule/default/export',
      );
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });

  test('UpdateSchedule also needs iam:PassRole on the role of the target', async () => {
    sandbox.setIamPolicy({ allow: ['scheduler:UpdateSchedule'] });
    try {
      await expect(scheduler().send(new UpdateScheduleCommand(schedule('export')))).rejects.toThrow(`iam:PassRole on resource: ${ROLE}`);
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });
});
