/**
 * CloudWatch metric alarms, kept as the API gives them back. The sandbox has no metrics: an alarm stays in
 * INSUFFICIENT_DATA until SetAlarmState (a test, a person) moves it, which is what SetAlarmState is for
 * in AWS too ("to test the alarm", API reference).
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import type { AlarmRecord, AlarmStateValue } from './state';

export type { AlarmRecord, AlarmStateValue };

const STATES: AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];

/**
 * CloudWatch speaks awsJson1_0 with the awsQueryCompatible trait: the JSON `__type` names the error shape
 * and the `x-amzn-query-error` header carries the code an awsQuery client would have seen.
 */
export function cloudWatchError(shape: string, queryCode: string, message: string, status = 400): AwsError {
  const error = new AwsError(`com.amazonaws.cloudwatch#${shape}`, message, status);
  error.queryCode = queryCode;
  return error;
}

const missing = (name: string) => cloudWatchError('MissingRequiredParameterException', 'MissingParameter', `The parameter ${name} is required.`);
const invalid = (message: string) => cloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', message);

export function putMetricAlarm(ctx: Context, input: Record<string, unknown>): Record<string, never> {
  const name = input.AlarmName;
  if (typeof name !== 'string' || name === '') throw missing('AlarmName');
  if (name.length > 255) throw invalid('The parameter AlarmName must be at most 255 characters long.');
  if (input.EvaluationPeriods === undefined) throw missing('EvaluationPeriods');
  if (!(Number.isInteger(input.EvaluationPeriods) && (input.EvaluationPeriods as number) >= 1)) throw invalid('The parameter EvaluationPeriods must be an integer of at least 1.');
  if (input.ComparisonOperator === undefined) throw missing('ComparisonOperator');
  if (!COMPARISONS.includes(String(input.ComparisonOperator))) throw invalid(`The parameter ComparisonOperator must be one of ${COMPARISONS.join(', ')}.`);
  const single = input.MetricName !== undefined || input.Namespace !== undefined;
  if (single && input.Metrics !== undefined) {
    throw cloudWatchError('InvalidParameterCombinationException', 'InvalidParameterCombination', 'The parameters MetricName and Metrics are mutually exclusive.');
  }
  if (!single && input.Metrics === undefined) throw missing('MetricName');
  if (single) {
    if (input.Namespace === undefined) throw missing('Namespace');
    if (input.Period === undefined) throw missing('Period');
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
  const names = input.AlarmNames as string[] | undefined;
  const prefix = input.AlarmNamePrefix as string | undefined;
  if (names?.length && prefix) {
    throw cloudWatchError('InvalidParameterCombinationException', 'InvalidParameterCombination', 'The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.');
  }
  const state = input.StateValue as string | undefined;
  if (state !== undefined && !STATES.includes(state as AlarmStateValue)) throw invalid(`The parameter StateValue must be one of ${STATES.join(', ')}.`);
  const types = (input.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
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
  const name = input.AlarmName as string | undefined;
  if (!name) throw missing('AlarmName');
  if (input.StateValue === undefined) throw missing('StateValue');
  if (input.StateReason === undefined) throw missing('StateReason');
  const state = String(input.StateValue) as AlarmStateValue;
  if (!STATES.includes(state)) throw invalid(`The parameter StateValue must be one of ${STATES.join(', ')}.`);
  const data = input.StateReasonData as string | undefined;
  if (data !== undefined) {
    try {
      JSON.parse(data);
    } catch {
      throw cloudWatchError('InvalidFormatFault', 'InvalidFormat', 'StateReasonData must be valid JSON.');
    }
  }
  const alarm = ctx.alarms.get(name);
  if (!alarm) throw cloudWatchError('ResourceNotFound', 'ResourceNotFound', `Alarm ${name} not found`, 404);
  const now = ctx.clock.now();
  if (alarm.state !== state) alarm.stateTransitionedAt = now;
  alarm.state = state;
  alarm.stateReason = String(input.StateReason);
  alarm.stateReasonData = data;
  alarm.stateUpdatedAt = now;
  // ECS watches deployment alarms (scheduler/deployment-alarms): let it see the new state on its next pass.
  ctx.kick();
  return {};
}

/** The names among `names` of alarms that exist and are in `state`. */
export function alarmsInState(ctx: Context, names: string[], state: AlarmStateValue): string[] {
  return names.filter((name) => ctx.alarms.get(name)?.state === state);
}

/**
 * The bake time ECS waits after a rolling update with deployment alarms: "Amazon ECS computes this time period
 * based on the alarm configuration associated with the deployment" (developer guide, "How CloudWatch alarms
 * detect Amazon ECS deployment failures"); the formula is not published. Here: the longest time any listed
 * alarm needs to evaluate, Period × EvaluationPeriods (a metric-math alarm's period is its metrics' longest).
 */
export function bakeTimeMs(ctx: Context, names: string[]): number {
  let longest = 0;
  for (const name of names) {
    const configuration = ctx.alarms.get(name)?.configuration;
    if (!configuration) continue;
    const metrics = (configuration.Metrics as Array<{ MetricStat?: { Period?: number }; Period?: number }> | undefined) ?? [];
    const period = (configuration.Period as number | undefined) ?? Math.max(60, ...metrics.map((m) => m.MetricStat?.Period ?? m.Period ?? 0));
    const periods = (configuration.EvaluationPeriods as number | undefined) ?? 1;
    longest = Math.max(longest, period * periods * 1000);
  }
  return longest;
}

/** "In the event of an error, no alarms are deleted" (DeleteAlarms, API reference). */
export function deleteAlarms(ctx: Context, input: Record<string, unknown>): Record<string, never> {
  const names = (input.AlarmNames as string[] | undefined) ?? [];
  const absent = names.filter((name) => !ctx.alarms.has(name));
  if (absent.length > 0) throw cloudWatchError('ResourceNotFound', 'ResourceNotFound', `${absent.length} out of ${names.length} alarms were not found: ${absent.join(', ')}`, 404);
  for (const name of names) ctx.alarms.delete(name);
  return {};
}

export const cloudWatchOperations = {
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  SetAlarmState: setAlarmState,
  DeleteAlarms: deleteAlarms,
};
