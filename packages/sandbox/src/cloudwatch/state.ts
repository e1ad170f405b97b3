/**
 * CloudWatch metric alarms, kept as the API gives them back, and what ECS asks of them (scheduler/
 * deployment-alarms). The sandbox has no metrics: an alarm stays in INSUFFICIENT_DATA until SetAlarmState
 * (a test, a person) moves it, which is what SetAlarmState is for in AWS too ("to test the alarm", API reference).
 */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const STATES: AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export interface AlarmRecord {
  /** The PutMetricAlarm input as given, without Tags: the alarm's configuration. */
  configuration: Record<string, unknown>;
  arn: string;
  configurationUpdatedAt: number;
  state: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
}

/** Alarms by name: the sandbox context's `alarms`. */
export type Alarms = ReadonlyMap<string, AlarmRecord>;

/** The names among `names` of alarms that exist and are in `state`. */
export function alarmsInState(alarms: Alarms, names: string[], state: AlarmStateValue): string[] {
  return names.filter((name) => alarms.get(name)?.state === state);
}

/**
 * The bake time ECS waits after a rolling update with deployment alarms: "Amazon ECS computes this time period
 * based on the alarm configuration associated with the deployment" (developer guide, "How CloudWatch alarms
 * detect Amazon ECS deployment failures"); the formula is not published. Here: the longest time any listed
 * alarm needs to evaluate, Period × EvaluationPeriods (a metric-math alarm's period is its metrics' longest).
 */
export function bakeTimeMs(alarms: Alarms, names: string[]): number {
  let longest = 0;
  for (const name of names) {
    const configuration = alarms.get(name)?.configuration;
    if (!configuration) continue;
    const metrics = (configuration.Metrics as Array<{ MetricStat?: { Period?: number }; Period?: number }> | undefined) ?? [];
    const period =
      (configuration.Period as number | undefined) ?? Math.max(60, ...metrics.map((m) => m.MetricStat?.Period ?? m.Period ?? 0));
    const periods = (configuration.EvaluationPeriods as number | undefined) ?? 1;
    longest = Math.max(longest, period * periods * 1000);
  }
  return longest;
}
