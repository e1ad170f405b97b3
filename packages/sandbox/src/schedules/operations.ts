/**
 * EventBridge Scheduler's operations, as far as this suite and its tests use them (EventBridge Scheduler API
 * reference): CreateSchedule, GetSchedule, UpdateSchedule, ListSchedules, DeleteSchedule, and the schedule groups'
 * CreateScheduleGroup, GetScheduleGroup, ListScheduleGroups. Each takes one input: the body's members, the URI's
 * Name and the query string's members by their model names (http/protocols/rest-json).
 *
 * UpdateSchedule replaces the whole schedule: "EventBridge Scheduler uses all values, including empty values,
 * specified in the request and overrides the existing schedule ... if you do not set an optional field in your
 * request, that field will be set to its system-default value after the update" (API reference, UpdateSchedule).
 */
import type { Context } from '../context';
import { groupExists, groupNotFound, scheduleExists, scheduleNotFound, validation } from './errors';
import { DEFAULT_GROUP, scheduleKey, type Json, type ScheduleRecord } from './state';

/** Schedule and group names: `^[0-9a-zA-Z-_.]+$`, 1 to 64 (API reference, CreateSchedule: Name). */
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
/** The members of a schedule that CreateSchedule and UpdateSchedule set; all others are the service's. */
const SETTABLE = [
  'ScheduleExpression',
  'ScheduleExpressionTimezone',
  'StartDate',
  'EndDate',
  'Description',
  'State',
  'KmsKeyArn',
  'Target',
  'FlexibleTimeWindow',
  'ActionAfterCompletion',
] as const;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const seconds = (ms: number) => ms / 1000;

function nameOf(input: Json): string {
  const name = input.Name;
  if (typeof name !== 'string' || !NAME.test(name))
    throw validation(
      `1 validation error detected: Value '${String(name)}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$`,
    );
  return name;
}

function groupOf(ctx: Context, input: Json): string {
  const group = text(input.GroupName) ?? DEFAULT_GROUP;
  if (!ctx.schedules.groups.has(group)) throw groupNotFound(group);
  return group;
}

function find(ctx: Context, input: Json): ScheduleRecord {
  const name = nameOf(input);
  const schedule = ctx.schedules.schedules.get(scheduleKey(groupOf(ctx, input), name));
  if (!schedule) throw scheduleNotFound(name);
  return schedule;
}

/**
 * What a CreateSchedule or UpdateSchedule input sets, checked as the API reference gives each member: the schedule
 * expression, the flexible time window and the target (Arn and RoleArn; an ECS target's TaskDefinitionArn) are required.
 * State defaults to ENABLED and ActionAfterCompletion to NONE, as GetSchedule then shows them.
 */
function settableFields(input: Json): Json {
  if (!text(input.ScheduleExpression)) throw validation('ScheduleExpression is required.');
  if (!/^(at\(.+\)|rate\(.+\)|cron\(.+\))$/.test(input.ScheduleExpression as string))
    throw validation(`Invalid Schedule Expression ${String(input.ScheduleExpression)}.`);
  const window = input.FlexibleTimeWindow as Json | undefined;
  if (!window || (window.Mode !== 'OFF' && window.Mode !== 'FLEXIBLE'))
    throw validation('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE.');
  const minutes = window.MaximumWindowInMinutes;
  if (window.Mode === 'FLEXIBLE' && !(typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440))
    throw validation('MaximumWindowInMinutes must be between 1 and 1440 when FlexibleTimeWindow.Mode is FLEXIBLE.');
  if (window.Mode === 'OFF' && minutes !== undefined)
    throw validation('MaximumWindowInMinutes must not be set when FlexibleTimeWindow.Mode is OFF.');
  const target = input.Target as Json | undefined;
  if (!target || !text(target.Arn)) throw validation('Target.Arn is required.');
  if (!text(target.RoleArn)) throw validation('Target.RoleArn is required.');
  const ecs = target.EcsParameters as Json | undefined;
  if (ecs !== undefined && !text(ecs.TaskDefinitionArn)) throw validation('Target.EcsParameters.TaskDefinitionArn is required.');
  const state = text(input.State) ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw validation(`Invalid State ${state}: must be ENABLED or DISABLED.`);
  const after = text(input.ActionAfterCompletion) ?? 'NONE';
  if (after !== 'NONE' && after !== 'DELETE') throw validation(`Invalid ActionAfterCompletion ${after}: must be NONE or DELETE.`);
  const fields: Json = {};
  for (const member of SETTABLE) if (input[member] !== undefined && input[member] !== '') fields[member] = structuredClone(input[member]);
  return { ...fields, State: state, ActionAfterCompletion: after };
}

function answer(schedule: ScheduleRecord): Json {
  return {
    Arn: schedule.arn,
    Name: schedule.name,
    GroupName: schedule.groupName,
    ...structuredClone(schedule.fields),
    CreationDate: seconds(schedule.creationDate),
    LastModificationDate: seconds(schedule.lastModificationDate),
  };
}

/** A page from NextToken (an offset, opaque to the caller), MaxResults 1 to 100. */
function page<T>(items: T[], input: Json): { items: T[]; next?: string } {
  const limit = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validation('MaxResults must be between 1 and 100.');
  const token = text(input.NextToken);
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw validation('Invalid NextToken.');
  const more = start + limit < items.length;
  return { items: items.slice(start, start + limit), ...(more ? { next: Buffer.from(String(start + limit)).toString('base64') } : {}) };
}

export const schedulerOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  CreateScheduleGroup(ctx, input) {
    const name = nameOf(input);
    if (ctx.schedules.groups.has(name)) throw groupExists(name);
    return { ScheduleGroupArn: ctx.schedules.createGroup(name, ctx.clock.now()).arn };
  },

  GetScheduleGroup(ctx, input) {
    const name = nameOf(input);
    const group = ctx.schedules.groups.get(name);
    if (!group) throw groupNotFound(name);
    return {
      Arn: group.arn,
      Name: group.name,
      State: 'ACTIVE',
      CreationDate: seconds(group.creationDate),
      LastModificationDate: seconds(group.lastModificationDate),
    };
  },

  ListScheduleGroups(ctx, input) {
    const prefix = text(input.NamePrefix) ?? '';
    const groups = [...ctx.schedules.groups.values()].filter((group) => group.name.startsWith(prefix));
    const { items, next } = page(groups, input);
    return {
      ScheduleGroups: items.map((group) => ({
        Arn: group.arn,
        Name: group.name,
        State: 'ACTIVE',
        CreationDate: seconds(group.creationDate),
        LastModificationDate: seconds(group.lastModificationDate),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },

  CreateSchedule(ctx, input) {
    const name = nameOf(input);
    const group = groupOf(ctx, input);
    const key = scheduleKey(group, name);
    if (ctx.schedules.schedules.has(key)) throw scheduleExists(name);
    const now = ctx.clock.now();
    const schedule: ScheduleRecord = {
      arn: ctx.schedules.scheduleArn(group, name),
      name,
      groupName: group,
      fields: settableFields(input),
      creationDate: now,
      lastModificationDate: now,
    };
    ctx.schedules.schedules.set(key, schedule);
    return { ScheduleArn: schedule.arn };
  },

  GetSchedule(ctx, input) {
    return answer(find(ctx, input));
  },

  UpdateSchedule(ctx, input) {
    const schedule = find(ctx, input);
    // The whole schedule is replaced: a member not sent is gone (see the header).
    schedule.fields = settableFields(input);
    schedule.lastModificationDate = ctx.clock.now();
    return { ScheduleArn: schedule.arn };
  },

  DeleteSchedule(ctx, input) {
    const schedule = find(ctx, input);
    ctx.schedules.schedules.delete(scheduleKey(schedule.groupName, schedule.name));
    return {};
  },

  ListSchedules(ctx, input) {
    const group = text(input.GroupName);
    if (group && !ctx.schedules.groups.has(group)) throw groupNotFound(group);
    const prefix = text(input.NamePrefix) ?? '';
    const state = text(input.State);
    const schedules = [...ctx.schedules.schedules.values()].filter(
      (schedule) =>
        (!group || schedule.groupName === group) && schedule.name.startsWith(prefix) && (!state || schedule.fields.State === state),
    );
    const { items, next } = page(schedules, input);
    return {
      Schedules: items.map((schedule) => ({
        Arn: schedule.arn,
        Name: schedule.name,
        GroupName: schedule.groupName,
        State: schedule.fields.State,
        CreationDate: seconds(schedule.creationDate),
        LastModificationDate: seconds(schedule.lastModificationDate),
        Target: { Arn: (schedule.fields.Target as Json).Arn },
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
};
