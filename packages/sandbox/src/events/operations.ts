/**
 * EventBridge's rule and target operations, as far as this suite and its tests use them (Amazon EventBridge API
 * reference): CreateEventBus and PutRule to make buses and rules, ListEventBuses, DescribeRule and ListRules to read them, PutTargets,
 * ListTargetsByRule and RemoveTargets for a rule's targets, ListRuleNamesByTarget for the rules that invoke an ARN.
 * PutTargets keeps each target whole, so a caller that puts back what it listed changes only what it meant to.
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import { busExists, busNotFound, constraint, ruleNotFound, validation } from './errors';
import { DEFAULT_BUS, type EventBusRecord, type Json, type RuleRecord } from './state';

/** Names of rules, targets' Ids and buses: `[\.\-_A-Za-z0-9]+`, 1 to 64 (API reference, Rule and Target). */
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
/** "You can add up to five targets to a rule" (EventBridge quotas); PutTargets takes 1 to 10 entries. */
const TARGETS_PER_RULE = 5;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function bus(ctx: Context, input: Json): EventBusRecord {
  const name = ctx.events.busName(text(input.EventBusName));
  const found = ctx.events.buses.get(name);
  if (!found) throw busNotFound(name);
  return found;
}

function ruleOf(ctx: Context, input: Json, member: 'Name' | 'Rule'): RuleRecord {
  const name = input[member];
  if (typeof name !== 'string' || !NAME.test(name))
    throw constraint(name, member === 'Name' ? 'name' : 'rule', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
  const onBus = bus(ctx, input);
  const rule = onBus.rules.get(name);
  if (!rule) throw ruleNotFound(name, onBus.name);
  return rule;
}

function ruleAnswer(rule: RuleRecord): Json {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: rule.eventBusName,
  };
}

/** A page of `items` from NextToken (an offset, opaque to the caller), Limit at most 100 (API reference). */
function page<T>(items: T[], input: Json): { items: T[]; next?: string } {
  const limit = input.Limit === undefined ? 100 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw constraint(input.Limit, 'limit', 'Member must have value between 1 and 100');
  const token = text(input.NextToken);
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw validation('The NextToken is not valid.');
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, ...(more ? { next: Buffer.from(String(start + limit)).toString('base64') } : {}) };
}

/**
 * A target's own checks before it is stored. An ECS target (a cluster ARN) runs tasks as the role EventBridge
 * assumes, so it needs RoleArn, and its EcsParameters need TaskDefinitionArn (API reference, EcsParameters:
 * "TaskDefinitionArn ... Required: Yes"). The wording of the RoleArn refusal is *unconfirmed*.
 */
function checkTarget(target: Json, index: number): void {
  const member = `targets.${index + 1}.member`;
  if (typeof target.Id !== 'string' || !NAME.test(target.Id))
    throw constraint(target.Id, `${member}.id`, 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
  if (typeof target.Arn !== 'string' || target.Arn.length === 0) throw constraint(target.Arn, `${member}.arn`, 'Member must not be null');
  const ecs = target.EcsParameters as Json | undefined;
  if (ecs !== undefined && (typeof ecs.TaskDefinitionArn !== 'string' || ecs.TaskDefinitionArn === ''))
    throw constraint(ecs.TaskDefinitionArn, `${member}.ecsParameters.taskDefinitionArn`, 'Member must not be null');
  if (/^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:cluster\//.test(target.Arn) && !text(target.RoleArn))
    throw validation(`RoleArn is required for target ${target.Arn}.`);
}

export const eventBridgeOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  CreateEventBus(ctx, input) {
    const name = input.Name;
    if (typeof name !== 'string' || !BUS_NAME.test(name) || name === DEFAULT_BUS)
      throw constraint(name, 'name', 'Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+');
    if (ctx.events.buses.has(name)) throw busExists(ctx.events.busArn(name));
    return { EventBusArn: ctx.events.createBus(name).arn };
  },

  ListEventBuses(ctx, input) {
    const prefix = text(input.NamePrefix) ?? '';
    const buses = [...ctx.events.buses.values()].filter((found) => found.name.startsWith(prefix));
    const { items, next } = page(buses, input);
    return { EventBuses: items.map((found) => ({ Name: found.name, Arn: found.arn })), ...(next ? { NextToken: next } : {}) };
  },

  PutRule(ctx, input) {
    const name = input.Name;
    if (typeof name !== 'string' || !NAME.test(name))
      throw constraint(name, 'name', 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
    const onBus = bus(ctx, input);
    const schedule = text(input.ScheduleExpression);
    const pattern = text(input.EventPattern);
    if (!schedule && !pattern) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    // "You can only create scheduled rules using the default event bus" (user guide, "Creating a rule that runs on a schedule").
    if (schedule && onBus.name !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
    if (schedule && !/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(schedule))
      throw validation('Parameter ScheduleExpression is not valid.');
    if (pattern) {
      try {
        JSON.parse(pattern);
      } catch {
        throw new AwsError('InvalidEventPatternException', 'Event pattern is not valid. Reason: it is not a JSON object.');
      }
    }
    const state = text(input.State) ?? 'ENABLED';
    if (!RULE_STATES.includes(state)) throw constraint(state, 'state', `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`);
    const existing = onBus.rules.get(name);
    const rule: RuleRecord = {
      name,
      arn: ctx.events.ruleArn(onBus.name, name),
      eventBusName: onBus.name,
      ...(schedule ? { scheduleExpression: schedule } : {}),
      ...(pattern ? { eventPattern: pattern } : {}),
      state,
      ...(text(input.Description) ? { description: input.Description as string } : {}),
      ...(text(input.RoleArn) ? { roleArn: input.RoleArn as string } : {}),
      targets: existing?.targets ?? new Map(),
    };
    onBus.rules.set(name, rule);
    return { RuleArn: rule.arn };
  },

  DescribeRule(ctx, input) {
    return ruleAnswer(ruleOf(ctx, input, 'Name'));
  },

  ListRules(ctx, input) {
    const prefix = text(input.NamePrefix) ?? '';
    const rules = [...bus(ctx, input).rules.values()]
      .filter((rule) => rule.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, next } = page(rules, input);
    return { Rules: items.map(ruleAnswer), ...(next ? { NextToken: next } : {}) };
  },

  PutTargets(ctx, input) {
    const rule = ruleOf(ctx, input, 'Rule');
    const targets = input.Targets;
    if (!Array.isArray(targets) || targets.length < 1 || targets.length > 10)
      throw constraint(
        Array.isArray(targets) ? `[${targets.length} targets]` : targets,
        'targets',
        'Member must have length between 1 and 10',
      );
    (targets as Json[]).forEach(checkTarget);
    const failures = ctx.events.armedEntryFailures.splice(0);
    const failed: Json[] = [];
    for (const target of targets as Json[]) {
      const id = target.Id as string;
      const failure = failures.find((armed) => (armed.targetId ?? (targets[0] as Json).Id) === id);
      if (failure) {
        failed.push({ TargetId: id, ErrorCode: failure.code, ErrorMessage: failure.message });
        continue;
      }
      if (!rule.targets.has(id) && rule.targets.size >= TARGETS_PER_RULE) {
        failed.push({
          TargetId: id,
          ErrorCode: 'LimitExceededException',
          ErrorMessage: 'The requested resource exceeds the maximum number allowed.',
        });
        continue;
      }
      rule.targets.set(id, structuredClone(target));
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },

  ListTargetsByRule(ctx, input) {
    const rule = ruleOf(ctx, input, 'Rule');
    const { items, next } = page([...rule.targets.values()], input);
    return { Targets: items.map((target) => structuredClone(target)), ...(next ? { NextToken: next } : {}) };
  },

  RemoveTargets(ctx, input) {
    const rule = ruleOf(ctx, input, 'Rule');
    const ids = input.Ids;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100)
      throw constraint(ids, 'ids', 'Member must have length between 1 and 100');
    const failed: Json[] = [];
    for (const id of ids as unknown[]) {
      if (typeof id !== 'string' || !rule.targets.delete(id))
        failed.push({ TargetId: String(id), ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${String(id)} does not exist.` });
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },

  ListRuleNamesByTarget(ctx, input) {
    const arn = text(input.TargetArn);
    if (!arn) throw constraint(input.TargetArn, 'targetArn', 'Member must not be null');
    const names = [...bus(ctx, input).rules.values()]
      .filter((rule) => [...rule.targets.values()].some((target) => target.Arn === arn))
      .map((rule) => rule.name)
      .sort();
    const { items, next } = page(names, input);
    return { RuleNames: items, ...(next ? { NextToken: next } : {}) };
  },
};
