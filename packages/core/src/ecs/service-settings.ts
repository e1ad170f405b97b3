import type { PropagateTags, Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import type { Inputs } from '../common/inputs';
import { parseDuration } from '../common/duration';

/**
 * The service settings deploy-ecs sets from its inputs, each left unchanged (and not sent in UpdateService) when
 * its input is not given. UpdateService (API reference) says of every one: "This parameter doesn't trigger a new
 * service deployment."
 */
export interface ServiceSettings {
  enableExecuteCommand?: boolean;
  propagateTags?: PropagateTags;
  enableECSManagedTags?: boolean;
  healthCheckGracePeriodSeconds?: number;
}

export type ServiceSettingField = keyof ServiceSettings;

/** The input that sets each field, for errors and for a task-definition file that carries one by mistake. */
export const SERVICE_SETTING_INPUTS: Readonly<Record<ServiceSettingField, string>> = {
  enableExecuteCommand: 'enable-execute-command',
  propagateTags: 'propagate-tags',
  enableECSManagedTags: 'enable-ecs-managed-tags',
  healthCheckGracePeriodSeconds: 'health-check-grace-period',
};

const PROPAGATE_TAGS = ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const;
/** "you can specify a health check grace period of up to 2,147,483,647 seconds" (UpdateService, API reference). */
export const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647;

/** Reads and validates the four inputs; an empty one means unchanged. */
export function readServiceSettings(inputs: Inputs): ServiceSettings {
  const settings: ServiceSettings = {};
  const enableExecuteCommand = optionalBoolean(inputs, 'enable-execute-command');
  if (enableExecuteCommand !== undefined) settings.enableExecuteCommand = enableExecuteCommand;
  const propagateTags = inputs.oneOf('propagate-tags', PROPAGATE_TAGS);
  if (propagateTags !== undefined) settings.propagateTags = propagateTags;
  const managed = optionalBoolean(inputs, 'enable-ecs-managed-tags');
  if (managed !== undefined) settings.enableECSManagedTags = managed;
  const grace = gracePeriodSeconds(inputs.optional('health-check-grace-period'));
  if (grace !== undefined) settings.healthCheckGracePeriodSeconds = grace;
  return settings;
}

function optionalBoolean(inputs: Inputs, name: string): boolean | undefined {
  return inputs.optional(name) === undefined ? undefined : inputs.boolean(name, false);
}

/** Whole seconds, as a duration (90s, 5m) or plain seconds, from 0 to ECS's maximum. */
function gracePeriodSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  const problem =
    ms === undefined
      ? 'it is not a duration'
      : ms % 1000 !== 0
        ? 'ECS takes whole seconds'
        : ms / 1000 > MAX_GRACE_PERIOD_SECONDS
          ? `ECS takes at most ${MAX_GRACE_PERIOD_SECONDS} seconds`
          : undefined;
  if (problem || ms === undefined)
    throw new ConfigurationError(
      `Input 'health-check-grace-period' must be whole seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS}, as 90s, 5m or plain seconds (e.g. 120); got "${text}": ${problem}.`,
      'health-check-grace-period',
    );
  return ms / 1000;
}

/** One setting that differs from the service's: what it is, what sets it, and its value before and after. */
export interface SettingChange {
  field: ServiceSettingField;
  input: string;
  from: boolean | string | number;
  to: boolean | string | number;
}

/** The service's value of a setting; DescribeServices leaves out what was never set (false, NONE, 0). */
export function currentSetting(service: Service, field: ServiceSettingField): boolean | string | number {
  if (field === 'enableExecuteCommand') return service.enableExecuteCommand ?? false;
  if (field === 'enableECSManagedTags') return service.enableECSManagedTags ?? false;
  if (field === 'propagateTags') return service.propagateTags ?? 'NONE';
  return service.healthCheckGracePeriodSeconds ?? 0;
}

/** The settings given that differ from the service's, in input order; equal ones are not sent. */
export function settingChanges(service: Service, settings: ServiceSettings | undefined): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const field of Object.keys(SERVICE_SETTING_INPUTS) as ServiceSettingField[]) {
    const to = settings?.[field];
    if (to === undefined) continue;
    const from = currentSetting(service, field);
    if (from !== to) changes.push({ field, input: SERVICE_SETTING_INPUTS[field], from, to });
  }
  return changes;
}

/** The UpdateService fields that make the changes. */
export function settingFields(changes: readonly SettingChange[]): Partial<UpdateServiceCommandInput> {
  return Object.fromEntries(changes.map((change) => [change.field, change.to]));
}

/** `enableExecuteCommand: false → true`, for the log and the job summary's change list. */
export function settingChangeLines(changes: readonly SettingChange[]): string[] {
  return changes.map((change) => `${change.field}: ${change.from} → ${change.to}`);
}

/**
 * The settings a task takes when it starts and keeps: ECS Exec is set up in a task at launch (the agent's
 * channel), and tags go onto a task when it is launched (UpdateService, API reference, propagateTags and
 * enableECSManagedTags: "Only tasks launched after the update will reflect the update"). The grace period is the
 * scheduler's, so it applies to running tasks at once.
 */
const TAKEN_AT_LAUNCH: readonly ServiceSettingField[] = ['enableExecuteCommand', 'propagateTags', 'enableECSManagedTags'];

/** What to tell when the settings change without a new deployment: running tasks keep the old ones until replaced. */
export function keptByRunningTasksNotice(changes: readonly SettingChange[]): string | undefined {
  const kept = changes.filter((change) => TAKEN_AT_LAUNCH.includes(change.field)).map((change) => change.field);
  if (!kept.length) return undefined;
  const names = kept.join(', ');
  return (
    `${names} ${kept.length === 1 ? 'applies' : 'apply'} to tasks started from now on: the running tasks keep the old ` +
    `setting until they are replaced (by the next deployment, or now with force-new-deployment: true).`
  );
}

/**
 * What UpdateService takes on a service under each controller (UpdateService, API reference): "For services using
 * the blue/green (CODE_DEPLOY) deployment controller, only the desired count, deployment configuration, health
 * check grace period, task placement constraints and strategies, enable ECS managed tags option, and propagate tags
 * can be updated using this API"; for an external controller the same less the deployment configuration. The ECS
 * controller (rolling, blue/green, linear, canary) takes them all.
 */
const UPDATABLE_UNDER: Readonly<Record<string, readonly ServiceSettingField[]>> = {
  CODE_DEPLOY: ['healthCheckGracePeriodSeconds', 'enableECSManagedTags', 'propagateTags'],
  EXTERNAL: ['healthCheckGracePeriodSeconds', 'enableECSManagedTags', 'propagateTags'],
};

/** The changes UpdateService refuses for the service's deployment controller. */
export function notUpdatable(service: Service, changes: readonly SettingChange[]): SettingChange[] {
  const allowed = UPDATABLE_UNDER[service.deploymentController?.type ?? 'ECS'];
  return allowed ? changes.filter((change) => !allowed.includes(change.field)) : [];
}
