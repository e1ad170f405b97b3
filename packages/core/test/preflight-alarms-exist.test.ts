import { beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { alarmsExistCheck } from '../src/preflight/checks/alarms-exist';
import { runPreflight } from '../src/preflight/run';
import { preflightFailure, preflightOf } from './support/preflight';

const cwMock = mockClient(CloudWatchClient);
const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
const check = (names: string[]) => alarmsExistCheck({ cloudwatch, names, region: 'us-east-1' });

beforeEach(() => {
  cwMock.reset();
  cwMock.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }],
    CompositeAlarms: [{ AlarmName: 'web-health', StateValue: 'OK' }],
  });
});

describe('alarmsExistCheck', () => {
  test('alarms that exist pass', async () => {
    const report = await preflightOf(check(['web-5xx', 'web-health']));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: '2 alarms found: web-5xx, web-health' });
  });

  test("a misspelt alarm fails with today's message", async () => {
    const error = await preflightFailure(check(['web-5xxx']));
    expect(error.message).toBe(
      `Input 'alarms': no CloudWatch alarm named "web-5xxx" in us-east-1. Names are case-sensitive; list them with 'aws cloudwatch describe-alarms'.`,
    );
    expect(error.input).toBe('alarms');
  });

  test('a role that may not describe alarms gets a warning naming cloudwatch:DescribeAlarms', async () => {
    cwMock
      .on(DescribeAlarmsCommand)
      .rejects(
        Object.assign(
          new Error(
            'User is not authorized to perform: cloudwatch:DescribeAlarms because no identity-based policy allows the cloudwatch:DescribeAlarms action',
          ),
          { name: 'AccessDeniedException' },
        ),
      );
    const report = await runPreflight([check(['web-5xx'])], { log: silentLogger() });
    expect(report.rows[0]).toMatchObject({ status: 'warn', message: expect.stringContaining('may not call cloudwatch:DescribeAlarms') });
  });

  test("a misspelt alarm is only a warning under mode 'warn', since the check does not protect", async () => {
    const report = await runPreflight([check(['web-5xxx'])], { log: silentLogger(), mode: 'warn' });
    expect(report.rows[0].status).toBe('warn');
  });
});
