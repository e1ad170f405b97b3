import { DescribeAlarmsCommand, type CloudWatchClient, type CompositeAlarm, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { sendingOnce } from '../common/aws';
import { ConfigurationError } from '../common/errors';
import { readOrUnread, type SignalReader, type SignalReading } from './signals';

/** DescribeAlarms takes at most 100 names in one call (CloudWatch API reference, DescribeAlarms). */
const MAX_ALARM_NAMES = 100;

type Alarm = MetricAlarm | CompositeAlarm;

async function describeAlarms(cloudwatch: CloudWatchClient, names: string[]): Promise<Alarm[]> {
  const answer = await cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: MAX_ALARM_NAMES }),
  );
  return [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])];
}

/**
 * Fails before any probe when a name matches no alarm: a misspelt name would otherwise never be in ALARM and
 * silently guard nothing.
 */
export async function assertAlarmsExist(cloudwatch: CloudWatchClient, names: string[], region: string): Promise<void> {
  if (names.length > MAX_ALARM_NAMES)
    throw new ConfigurationError(`Input 'alarms' names ${names.length} alarms; at most ${MAX_ALARM_NAMES} are supported.`, 'alarms');
  const found = new Set((await describeAlarms(cloudwatch, names)).map((alarm) => alarm.AlarmName));
  const unknown = names.filter((name) => !found.has(name));
  if (unknown.length) {
    throw new ConfigurationError(
      `Input 'alarms': no CloudWatch alarm named ${unknown.map((n) => `"${n}"`).join(', ')} in ${region}. Names are case-sensitive; list them with 'aws cloudwatch describe-alarms'.`,
      'alarms',
    );
  }
}

export function alarmReading(alarm: Alarm): SignalReading {
  const source = `alarm ${alarm.AlarmName}`;
  const state = alarm.StateValue ?? 'unknown';
  if (state === 'ALARM') return { source, passed: false, fatal: true, detail: `in ALARM: ${alarm.StateReason ?? 'no reason given'}` };
  return { source, passed: true, detail: state };
}

/**
 * Reads the named alarms once a round, without the SDK's retries; any in ALARM ends the check. A throttled or failed
 * read leaves them unread this round (readOrUnread): an alarm not read is not an alarm in ALARM.
 */
export function alarmSignals(cloudwatch: CloudWatchClient, names: string[]): SignalReader {
  const once = sendingOnce(cloudwatch);
  const source = names.length === 1 ? `alarm ${names[0]}` : `alarms ${names.join(', ')}`;
  return () => readOrUnread(source, async () => (await describeAlarms(once, names)).map(alarmReading));
}
