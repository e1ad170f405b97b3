/**
 * A deployment group's CloudWatch alarms (AlarmConfiguration, API reference; user guide, "Monitoring deployments
 * with CloudWatch alarms in CodeDeploy": "If any of the specified alarms are activated, the deployment stops, and
 * the status is updated to Stopped"). The checks CreateDeploymentGroup, UpdateDeploymentGroup and CreateDeployment's
 * overrideAlarmConfiguration make are InvalidAlarmConfigException's cases and AlarmsLimitExceededException's limit
 * (10), with the model's descriptions as messages. A stop on an alarm carries errorInformation ALARM_ACTIVE and
 * rolls back when the deployment's autoRollbackConfiguration names DEPLOYMENT_STOP_ON_ALARM.
 * When CodeDeploy checks: from the deployment's start (an alarm still in ALARM from an earlier deployment stops the
 * next one: CreateDeployment's overrideAlarmConfiguration exists to get past it, API reference) for as long as the
 * deployment is not finished, which for ECS includes the termination wait (the deployment stays InProgress then).
 * How often is not documented: here on every scheduler pass (*unconfirmed*; the alarm's own evaluation delay comes
 * first anyway). *Unconfirmed* too: that a rollback deployment CodeDeploy creates does not watch them (it would be
 * stopped by the alarm that caused it), the wording of the stop's message. The sandbox's CloudWatch always answers,
 * so ignorePollAlarmFailure is kept and shown but never needed; an alarm that does not exist is not in ALARM
 * (*unconfirmed* what CodeDeploy makes of one).
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import type { AlarmConfigurationRecord, DeploymentRecord } from './state';

export const NO_ALARMS: AlarmConfigurationRecord = { enabled: false, ignorePollAlarmFailure: false, alarms: [] };
const MAX_ALARMS = 10;
const MAX_NAME = 255;

const invalidAlarmConfig = (why: string) =>
  new AwsError('InvalidAlarmConfigException', `The format of the alarm configuration is not valid: ${why}.`);
const alarmsLimitExceeded = () =>
  new AwsError('AlarmsLimitExceededException', `The maximum number of alarms for a deployment group (${MAX_ALARMS}) was exceeded.`);

export function checkAlarmConfiguration(value: unknown): AlarmConfigurationRecord {
  if (value === undefined) return structuredClone(NO_ALARMS);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidAlarmConfig('it must be an object');
  const given = value as Record<string, unknown>;
  const list = given.alarms ?? [];
  if (!Array.isArray(list)) throw invalidAlarmConfig('the alarm list is null');
  if (list.length > MAX_ALARMS) throw alarmsLimitExceeded();
  const names = list.map((alarm: unknown) => {
    if (typeof alarm !== 'object' || alarm === null) throw invalidAlarmConfig('the alarm object is null');
    const name = (alarm as { name?: unknown }).name;
    if (typeof name !== 'string' || name === '' || name.length > MAX_NAME)
      throw invalidAlarmConfig('the alarm name is empty or null or exceeds the limit of 255 characters');
    return name;
  });
  if (new Set(names).size !== names.length) throw invalidAlarmConfig('two alarms with the same name have been specified');
  const enabled = given.enabled === true;
  if (enabled && names.length === 0) throw invalidAlarmConfig('the alarm configuration is enabled, but the alarm list is empty');
  return { enabled, ignorePollAlarmFailure: given.ignorePollAlarmFailure === true, alarms: names.map((name) => ({ name })) };
}

/** The deployment's alarms in ALARM now, if it watches them. */
export function activeAlarms(ctx: Context, deployment: DeploymentRecord): string[] {
  const config = deployment.alarmConfiguration;
  if (!config.enabled || deployment.creator === 'codeDeployRollback') return [];
  return config.alarms.map((a) => a.name).filter((name) => ctx.alarms.get(name)?.state === 'ALARM');
}

export const ALARM_ACTIVE = 'ALARM_ACTIVE';
export const alarmStopMessage = (names: string[]) =>
  `The deployment was stopped because the CloudWatch alarm${names.length > 1 ? 's' : ''} ${names.join(', ')} went into ALARM.`;

/** Whether a stop on an alarm rolls back: the deployment's autoRollbackConfiguration names DEPLOYMENT_STOP_ON_ALARM. */
export function rollsBackOnAlarm(deployment: DeploymentRecord): boolean {
  const rollback = deployment.autoRollbackConfiguration;
  return rollback.enabled && rollback.events.includes('DEPLOYMENT_STOP_ON_ALARM');
}
