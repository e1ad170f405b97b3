/** CloudWatch's state: the metric alarms, kept as the API gives them back (cloudwatch/alarms). */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

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
