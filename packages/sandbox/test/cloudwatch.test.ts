import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  InvalidFormatFault,
  InternalServiceFault,
  MissingRequiredParameterException,
  PutMetricAlarmCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  type CloudWatchClient,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { start, type Sandbox } from '../src/index';
import { cloudWatchClient } from './support/harness';

let sandbox: Sandbox;
let cloudwatch: CloudWatchClient;
beforeAll(async () => {
  sandbox = await start({
    seed: {
      alarms: [
        {
          AlarmName: 'seeded',
          MetricName: 'CPUUtilization',
          Namespace: 'AWS/ECS',
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 90,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
    },
  });
  cloudwatch = cloudWatchClient(sandbox);
});
afterAll(async () => {
  await sandbox.stop();
});

const alarm = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  MetricName: 'HTTPCode_Target_5XX_Count',
  Namespace: 'AWS/ApplicationELB',
  Statistic: 'Sum',
  Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }],
  Period: 60,
  EvaluationPeriods: 2,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
  ...extra,
});

async function post(target: string, body: string) {
  const response = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.0' },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    queryError: response.headers.get('x-amzn-query-error'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('CloudWatch alarms over awsJson1_0 (the protocol the installed client sends)', () => {
  test('a new alarm is INSUFFICIENT_DATA; SetAlarmState moves it; DescribeAlarms by name and by state', async () => {
    await cloudwatch.send(new PutMetricAlarmCommand(alarm('api-5xx')));
    await cloudwatch.send(
      new PutMetricAlarmCommand(alarm('api-latency', { MetricName: 'TargetResponseTime', Statistic: 'Average', Threshold: 1 })),
    );
    const created = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx'] }))).MetricAlarms;
    expect(created).toHaveLength(1);
    expect(created?.[0]).toMatchObject({
      AlarmName: 'api-5xx',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:api-5xx',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Threshold: 5,
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }],
    });
    expect(created?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(Math.abs((created?.[0]?.StateUpdatedTimestamp as Date).getTime() - Date.now())).toBeLessThan(5000);

    await cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'api-5xx',
        StateValue: 'ALARM',
        StateReason: 'Threshold crossed: 7 errors',
        StateReasonData: '{"version":"1.0"}',
      }),
    );
    const inAlarm = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx', 'api-latency'] }))).MetricAlarms ?? [];
    expect(inAlarm.map((a) => [a.AlarmName, a.StateValue])).toEqual([
      ['api-5xx', 'ALARM'],
      ['api-latency', 'INSUFFICIENT_DATA'],
    ]);
    expect(inAlarm[0]).toMatchObject({ StateReason: 'Threshold crossed: 7 errors', StateReasonData: '{"version":"1.0"}' });
    const alarming = (await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms?.map((a) => a.AlarmName);
    expect(alarming).toEqual(['api-5xx']);

    // Updating an alarm leaves its state as it was.
    await cloudwatch.send(new PutMetricAlarmCommand(alarm('api-5xx', { Threshold: 10 })));
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx'] }))).MetricAlarms?.[0]).toMatchObject({
      StateValue: 'ALARM',
      Threshold: 10,
    });

    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['api-5xx', 'api-latency'] }));
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx'] }))).MetricAlarms).toEqual([]);
  });

  test('seeded alarms exist from the start', async () => {
    const seeded = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'seed' }))).MetricAlarms;
    expect(seeded?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['seeded', 'INSUFFICIENT_DATA']]);
  });

  test('errors: the SDK raises its modelled classes from __type and x-amzn-query-error', async () => {
    const notFound = cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'absent', StateValue: 'OK', StateReason: 'test' }));
    await expect(notFound).rejects.toBeInstanceOf(ResourceNotFound);
    await expect(notFound).rejects.toMatchObject({ message: 'Alarm absent not found', $metadata: { httpStatusCode: 404 } });
    await cloudwatch.send(new PutMetricAlarmCommand(alarm('formats')));
    await expect(
      cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'formats', StateValue: 'OK', StateReason: 'x', StateReasonData: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidFormatFault);
    await expect(cloudwatch.send(new PutMetricAlarmCommand({ ...alarm('partial'), ComparisonOperator: undefined }))).rejects.toBeInstanceOf(
      MissingRequiredParameterException,
    );
    // Nothing is deleted when one name is unknown.
    await expect(cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['formats', 'absent'] }))).rejects.toBeInstanceOf(ResourceNotFound);
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['formats'] }))).MetricAlarms).toHaveLength(1);

    const raw = await post('GraniteServiceVersion20100801.SetAlarmState', '{"AlarmName":"absent","StateValue":"OK","StateReason":"x"}');
    expect(raw).toEqual({
      status: 404,
      type: 'application/x-amz-json-1.0',
      queryError: 'ResourceNotFound;Sender',
      body: { __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: 'Alarm absent not found' },
    });
  });

  test('an unknown operation is answered UnknownOperationException', async () => {
    const raw = await post('GraniteServiceVersion20100801.LaunchRocket', '{}');
    expect(raw.status).toBe(400);
    expect(raw.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
  });
});

describe('fault injection on CloudWatch', () => {
  test('throttling, server errors and latency reach the SDK as CloudWatch sends them', async () => {
    try {
      sandbox.setFaults({ throttleRate: 1, operations: ['DescribeAlarms'] });
      const throttled = (await cloudWatchClient(sandbox, 1)
        .send(new DescribeAlarmsCommand({}))
        .catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number }; Code: string };
      expect(throttled).toMatchObject({ name: 'Throttling', Code: 'Throttling', $metadata: { httpStatusCode: 400 } });
      expect(sandbox.calls.at(-1)).toMatchObject({ service: 'cloudwatch', operation: 'DescribeAlarms', fault: 'throttle' });
      const before = sandbox.calls.length;
      await cloudWatchClient(sandbox, 3)
        .send(new DescribeAlarmsCommand({}))
        .catch(() => undefined);
      expect(sandbox.calls.length - before).toBe(3);

      sandbox.setFaults({ serverErrorRate: 1, operations: ['DescribeAlarms'] });
      const failed = await cloudWatchClient(sandbox, 1)
        .send(new DescribeAlarmsCommand({}))
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(InternalServiceFault);
      expect((failed as InternalServiceFault).$metadata.httpStatusCode).toBe(500);

      sandbox.setFaults({ latencyMs: 300, operations: ['DescribeAlarms'] });
      const started = Date.now();
      await cloudWatchClient(sandbox).send(new DescribeAlarmsCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});
