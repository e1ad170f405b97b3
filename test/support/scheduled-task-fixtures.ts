import type { Target } from '@aws-sdk/client-eventbridge';
import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';

// EventBridge rule targets and Scheduler schedules with every field a platform team sets, for the scheduled-tasks
// tests: a move that loses one shows.

export const EVENTS_ROLE = 'arn:aws:iam::000000000000:role/ecsEventsRole';
export const SANDBOX_CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/prod';

/** An ECS target with every field a platform team sets, so a lost one shows. */
export function ecsTarget(id: string, taskDefinitionArn: string): Target {
  return {
    Id: id,
    Arn: SANDBOX_CLUSTER,
    RoleArn: EVENTS_ROLE,
    Input: '{"containerOverrides":[{"name":"app","command":["npm","run","report"]}]}',
    RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 900 },
    DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:reports-dlq' },
    EcsParameters: {
      TaskDefinitionArn: taskDefinitionArn,
      TaskCount: 2,
      LaunchType: 'FARGATE',
      NetworkConfiguration: {
        awsvpcConfiguration: { Subnets: ['subnet-0a1b2c3d'], SecurityGroups: ['sg-0a1b2c3d'], AssignPublicIp: 'DISABLED' },
      },
      PlatformVersion: '1.4.0',
      Group: 'nightly',
      EnableECSManagedTags: true,
      EnableExecuteCommand: false,
      PropagateTags: 'TASK_DEFINITION',
      ReferenceId: 'ref-1',
      Tags: [{ Key: 'team', Value: 'billing' }],
    },
  };
}

/** A schedule with every optional field set, so UpdateSchedule's whole replacement would lose any not sent back. */
export function scheduleOf(name: string, group: string, taskDefinitionArn: string): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: group,
    ScheduleExpression: 'cron(30 2 * * ? *)',
    ScheduleExpressionTimezone: 'Europe/Paris',
    Description: 'nightly export to the warehouse',
    StartDate: new Date('2026-01-01T00:00:00Z'),
    EndDate: new Date('2027-01-01T00:00:00Z'),
    State: 'DISABLED',
    KmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ActionAfterCompletion: 'NONE',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 20 },
    Target: {
      Arn: SANDBOX_CLUSTER,
      RoleArn: 'arn:aws:iam::000000000000:role/schedulerRole',
      Input: '{"containerOverrides":[{"name":"app","command":["export"]}]}',
      RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:export-dlq' },
      EcsParameters: {
        TaskDefinitionArn: taskDefinitionArn,
        TaskCount: 1,
        LaunchType: 'FARGATE',
        NetworkConfiguration: {
          awsvpcConfiguration: { Subnets: ['subnet-0a1b2c3d'], SecurityGroups: ['sg-0a1b2c3d'], AssignPublicIp: 'DISABLED' },
        },
        Tags: [{ team: 'data' }],
      },
    },
  };
}

/** The target as it should be once moved: the revision changed, every other field as it was. */
export const withRevision = (target: Target, arn: string): Target => ({
  ...target,
  EcsParameters: { ...target.EcsParameters!, TaskDefinitionArn: arn },
});
