/** The CloudWatch alarm operations the suite uses, by their API reference (awsJson1_0, cloudwatch/service). */
import type { Context } from '../context';
import { invalid, invalidCombination, invalidFormat, missing, resourceNotFound } from './errors';
import { optionalString, optionalStrings, requireParam, requireString } from './params';
import { STATES, type AlarmRecord, type AlarmStateValue } from './state';

const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];

export function putMetricAlarm(ctx: Context, input: Record<string, unknown>): Record<string, never> {
  const name = requireString(input, 'AlarmName');
  if (name.length > 255) throw invalid('The parameter AlarmName must be at most 255 characters long.');
  const periods = requireParam(input, 'EvaluationPeriods');
  if (!(Number.isInteger(periods) && (periods as number) >= 1))
    throw invalid('The parameter EvaluationPeriods must be an integer of at least 1.');
  if (!COMPARISONS.includes(String(requireParam(input, 'ComparisonOperator'))))
    throw invalid(`The parameter ComparisonOperator must be one of ${COMPARISONS.join(', ')}.`);
  const single = input.MetricName !== undefined || input.Namespace !== undefined;
  if (single && input.Metrics !== undefined) {
    throw invalidCombination('The parameters MetricName and Metrics are mutually exclusive.');
  }
  if (!single && input.Metrics === undefined) throw missing('MetricName');
  if (single) {
    requireParam(input, 'Namespace');
    requireParam(input, 'Period');
    if (input.Statistic === undefined && input.ExtendedStatistic === undefined) throw missing('Statistic');
  }
  if (input.Threshold === undefined && input.ThresholdMetricId === undefined) throw missing('Threshold');

  const now = ctx.clock.now();
  const { Tags: _tags, ...configuration } = input;
  const existing = ctx.alarms.get(name);
  // "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA ... If
  // you are an updating an existing alarm, its state is left unchanged" (PutMetricAlarm, API reference).
  if (existing) {
    existing.configuration = configuration;
    existing.configurationUpdatedAt = now;
    return {};
  }
  ctx.alarms.set(name, {
    configuration,
    arn: ctx.arns.alarm(name),
    configurationUpdatedAt: now,
    state: 'INSUFFICIENT_DATA',
    stateReason: 'Unchecked: Initial alarm creation',
    stateUpdatedAt: now,
    stateTransitionedAt: now,
  });
  return {};
}

function render(alarm: AlarmRecord): Record<string, unknown> {
  const seconds = (ms: number) => ms / 1000;
  return {
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    Dimensions: alarm.configuration.Metrics === undefined ? [] : undefined,
    ...alarm.configuration,
    AlarmArn: alarm.arn,
    AlarmConfigurationUpdatedTimestamp: seconds(alarm.configurationUpdatedAt),
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateReasonData: alarm.stateReasonData,
    StateUpdatedTimestamp: seconds(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: seconds(alarm.stateTransitionedAt),
  };
}

/** DescribeAlarms: by names, by prefix, by state; metric alarms only unless AlarmTypes asks otherwise. */
export function describeAlarms(ctx: Context, input: Record<string, unknown>): Record<string, unknown> {
  const names = optionalStrings(input, 'AlarmNames');
  const prefix = optionalString(input, 'AlarmNamePrefix');
  if (names?.length && prefix) throw invalidCombination('The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.');
  const state = optionalString(input, 'StateValue');
  if (state !== undefined && !STATES.includes(state as AlarmStateValue))
    throw invalid(`The parameter StateValue must be one of ${STATES.join(', ')}.`);
  const types = optionalStrings(input, 'AlarmTypes') ?? ['MetricAlarm'];
  let found = [...ctx.alarms.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (names?.length) found = found.filter(([name]) => names.includes(name));
  if (prefix) found = found.filter(([name]) => name.startsWith(prefix));
  if (state) found = found.filter(([, alarm]) => alarm.state === state);
  return {
    MetricAlarms: types.includes('MetricAlarm') ? found.map(([, alarm]) => render(alarm)) : [],
    CompositeAlarms: [],
  };
}

export function setAlarmState(ctx: Context, input: Record<string, unknown>): Record<string, never> {
  const name = requireString(input, 'AlarmName');
  const stateValue = requireParam(input, 'StateValue');
  const reason = requireParam(input, 'StateReason');
  const state = String(stateValue) as AlarmStateValue;
  if (!STATES.includes(state)) throw invalid(`The parameter StateValue must be one of ${STATES.join(', ')}.`);
  const data = optionalString(input, 'StateReasonData');
  if (data !== undefined) {
    try {
      JSON.parse(data);
    } catch {
      throw invalidFormat('StateReasonData must be valid JSON.');
    }
  }
  const alarm = ctx.alarms.get(name);
  if (!alarm) throw resourceNotFound(`Alarm ${name} not found`);
  const now = ctx.clock.now();
  if (alarm.state !== state) alarm.stateTransitionedAt = now;
  alarm.state = state;
  alarm.stateReason = String(reason);
  alarm.stateReasonData = data;
  alarm.stateUpdatedAt = now;
  // ECS watches deployment alarms (scheduler/deployment-alarms): let it see the new state on its next pass.
  ctx.kick();
  return {};
}

/** "In the event of an error, no alarms are deleted" (DeleteAlarms, API reference). */
export function deleteAlarms(ctx: Context, input: Record<string, unknown>): Record<string, never> {
  const names = optionalStrings(input, 'AlarmNames') ?? [];
  const absent = names.filter((name) => !ctx.alarms.has(name));
  if (absent.length > 0) throw resourceNotFound(`${absent.length} out of ${names.length} alarms were not found: ${absent.join(', ')}`);
  for (const name of names) ctx.alarms.delete(name);
  return {};
}

export const cloudWatchOperations = {
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  SetAlarmState: setAlarmState,
  DeleteAlarms: deleteAlarms,
};
