/**
 * The alarm the tests watch a service by: its target 5xx count over a threshold, put and then set to a state
 * (there are no metrics in the sandbox, so an alarm moves only with SetAlarmState).
 */
import { PutMetricAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export interface AlarmOptions {
  state?: 'OK' | 'ALARM';
  reason?: string;
  /** Period x EvaluationPeriods is also the bake time ECS waits after a rollout with deployment alarms. */
  periodSeconds?: number;
}

export async function putErrorRateAlarm(cloudwatch: CloudWatchClient, name: string, options: AlarmOptions = {}): Promise<void> {
  const { state = 'OK', reason = 'quiet', periodSeconds = 60 } = options;
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Statistic: 'Sum',
      Period: periodSeconds,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
}
