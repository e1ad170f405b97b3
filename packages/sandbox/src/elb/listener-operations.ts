/**
 * The ELBv2 operations on load balancers, listeners and rules, by their API reference, as far as the sandbox
 * routes: HTTP listeners, `forward` actions (one target group or weighted ones), `path-pattern` and
 * `host-header` conditions. Anything else is refused with a ValidationError that says so, rather than
 * accepted and then not honoured.
 */
import type { Context } from '../context';
import { elbId } from '../ids';
import { listParam, numberParam, stringParam, type QueryInput, type QueryValue, type XmlValue } from '../query/codec';
import {
  duplicateListener,
  listenerNotFound,
  loadBalancerNotFound,
  notNull,
  operationNotPermitted,
  priorityInUse,
  ruleNotFound,
  targetGroupNotFound,
  validation,
} from './errors';
import { listenerArn, ruleArn } from './listeners';
import { list, optionalNumber, optionalString, requireString } from './params';
import type { ForwardAction, ListenerRecord, LoadBalancerRecord, RuleConditionRecord, RuleRecord } from './state';
import { dnsSuffixOfRegion } from '../arns';

type Result = { [key: string]: XmlValue };

/** An ALB's listeners allow up to five target groups in one forward action (ALB user guide, quotas). */
const MAX_WEIGHTED_GROUPS = 5;

function requireLoadBalancer(ctx: Context, input: QueryInput): LoadBalancerRecord {
  const loadBalancer = ctx.elb.listeners.loadBalancers.get(requireString(input, 'LoadBalancerArn'));
  if (!loadBalancer) throw loadBalancerNotFound();
  return loadBalancer;
}

function requireListener(ctx: Context, arn: string): ListenerRecord {
  const listener = ctx.elb.listeners.byArn.get(arn);
  if (!listener) throw listenerNotFound();
  return listener;
}

function renderLoadBalancer(ctx: Context, lb: LoadBalancerRecord): Result {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: `${lb.name}-${lb.arn.slice(-10)}.${ctx.region}.elb.${dnsSuffixOfRegion(ctx.region)}`,
    CreatedTime: new Date(lb.createdAt).toISOString(),
    LoadBalancerName: lb.name,
    Scheme: 'internet-facing',
    State: { Code: 'active' },
    Type: 'application',
    IpAddressType: 'ipv4',
  };
}

/** A forward action as DescribeListeners answers it: always a ForwardConfig, and TargetGroupArn when it was given so. */
function renderAction(action: ForwardAction): Result {
  return {
    Type: action.type,
    TargetGroupArn: action.shorthand ? action.targetGroups[0].targetGroupArn : undefined,
    ForwardConfig: {
      TargetGroups: action.targetGroups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })),
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

function renderListener(listener: ListenerRecord): Result {
  const defaultRule = listener.rules.find((r) => r.priority === 'default') as RuleRecord;
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    DefaultActions: defaultRule.actions.map(renderAction),
  };
}

function renderCondition(condition: RuleConditionRecord): Result {
  const config = condition.field === 'path-pattern' ? 'PathPatternConfig' : 'HostHeaderConfig';
  return { Field: condition.field, Values: condition.values, [config]: { Values: condition.values } };
}

function renderRule(rule: RuleRecord): Result {
  return {
    RuleArn: rule.arn,
    Priority: rule.priority,
    Conditions: rule.conditions.map(renderCondition),
    Actions: rule.actions.map(renderAction),
    IsDefault: rule.priority === 'default',
  };
}

function integerIn(name: string, value: number | undefined, low: number, high: number): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < low || value > high))
    throw validation(`${name} must be an integer between ${low} and ${high}, got ${value}`);
  return value;
}

/**
 * Actions: one `forward`, by TargetGroupArn or ForwardConfig.TargetGroups (weight 1 by default). Given both,
 * ForwardConfig may name only that one group (Action, API reference).
 */
function parseActions(ctx: Context, value: QueryValue | undefined, member: string): ForwardAction[] {
  const actions = listParam(value) as QueryInput[];
  if (actions.length === 0) throw notNull(member);
  if (actions.length > 1) throw validation('The sandbox routes one forward action per rule');
  const action = actions[0];
  const type = stringParam(action.Type);
  if (!type) throw notNull(`${member}.1.member.type`);
  if (type !== 'forward') throw validation(`The sandbox routes forward actions only, not '${type}'`);
  const single = stringParam(action.TargetGroupArn);
  const config = action.ForwardConfig as QueryInput | undefined;
  const weighted = (listParam(config?.TargetGroups) as QueryInput[]).map((g) => ({
    targetGroupArn: stringParam(g.TargetGroupArn) ?? '',
    weight: integerIn('Weight', numberParam(g.Weight), 0, 999) ?? 1,
  }));
  if (!single && weighted.length === 0) throw validation('A target group ARN must be specified for a forward action');
  if (single && weighted.some((g) => g.targetGroupArn !== single)) {
    throw validation('You cannot specify both a target group ARN and a forward config with different target groups');
  }
  if (weighted.length > MAX_WEIGHTED_GROUPS) throw validation(`A forward action can have at most ${MAX_WEIGHTED_GROUPS} target groups`);
  const targetGroups = weighted.length > 0 ? weighted : [{ targetGroupArn: single as string, weight: 1 }];
  if (new Set(targetGroups.map((g) => g.targetGroupArn)).size < targetGroups.length)
    throw validation('A target group can be specified only once in a forward action');
  for (const g of targetGroups) if (!ctx.elb.groups.has(g.targetGroupArn)) throw targetGroupNotFound();
  return [{ type: 'forward', targetGroups, shorthand: Boolean(single) && weighted.length === 0 }];
}

/** Conditions: `path-pattern` and `host-header`, by their Config.Values or the older Values member. */
function parseConditions(value: QueryValue | undefined): RuleConditionRecord[] {
  const conditions = listParam(value) as QueryInput[];
  if (conditions.length === 0) throw notNull('conditions');
  return conditions.map((c) => {
    const field = stringParam(c.Field);
    if (field !== 'path-pattern' && field !== 'host-header')
      throw validation(`The sandbox matches path-pattern and host-header conditions only, not '${field ?? ''}'`);
    const config = (field === 'path-pattern' ? c.PathPatternConfig : c.HostHeaderConfig) as QueryInput | undefined;
    const values = [...(listParam(config?.Values) as string[]), ...(listParam(c.Values) as string[])];
    if (values.length === 0 || values.some((v) => v === ''))
      throw validation(`A ${field} condition needs at least one value, and values cannot be empty`);
    return { field, values };
  });
}

function checkPort(ctx: Context, loadBalancerArn: string, port: number, except?: string): void {
  if (ctx.elb.listeners.of(loadBalancerArn).some((l) => l.port === port && l.arn !== except)) {
    throw duplicateListener();
  }
}

function parseProtocol(value: QueryValue | undefined): string | undefined {
  const protocol = stringParam(value);
  if (protocol !== undefined && protocol !== 'HTTP') throw validation(`The sandbox serves HTTP listeners only, not '${protocol}'`);
  return protocol;
}

/** CreateLoadBalancer: an application load balancer by name; the same name again answers the same one. */
function createLoadBalancer(ctx: Context, input: QueryInput): Result {
  const name = requireString(input, 'Name');
  if (name.length > 32 || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name) || name.startsWith('internal-')) {
    throw validation(
      `The load balancer name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), must not begin or end with a hyphen, must not begin with 'internal-' and must be at most 32 characters`,
    );
  }
  const type = optionalString(input, 'Type') ?? 'application';
  if (type !== 'application') throw validation(`The sandbox runs application load balancers only, not '${type}'`);
  const existing = [...ctx.elb.listeners.loadBalancers.values()].find((lb) => lb.name === name);
  if (existing) return { LoadBalancers: [renderLoadBalancer(ctx, existing)] };
  const loadBalancer = { arn: ctx.arns.loadBalancer(name, elbId()), name, createdAt: ctx.clock.now() };
  ctx.elb.listeners.addLoadBalancer(loadBalancer);
  return { LoadBalancers: [renderLoadBalancer(ctx, loadBalancer)] };
}

function describeLoadBalancers(ctx: Context, input: QueryInput): Result {
  const arns = list<string>(input, 'LoadBalancerArns');
  const names = list<string>(input, 'Names');
  const all = [...ctx.elb.listeners.loadBalancers.values()];
  let found = all;
  if (arns.length > 0) found = arns.map((arn) => ctx.elb.listeners.loadBalancers.get(arn) as LoadBalancerRecord);
  else if (names.length > 0) found = names.map((name) => all.find((lb) => lb.name === name) as LoadBalancerRecord);
  if (found.some((lb) => !lb)) throw loadBalancerNotFound();
  return { LoadBalancers: found.map((lb) => renderLoadBalancer(ctx, lb)) };
}

/** A target group's own load balancer goes with the group (DeleteTargetGroup), not on its own. */
async function deleteLoadBalancer(ctx: Context, input: QueryInput): Promise<Result> {
  const arn = requireString(input, 'LoadBalancerArn');
  const loadBalancer = ctx.elb.listeners.loadBalancers.get(arn);
  if (loadBalancer?.implicitFor)
    throw operationNotPermitted(
      `Load balancer '${arn}' belongs to target group '${loadBalancer.implicitFor}' in the sandbox: delete the target group instead`,
    );
  if (loadBalancer) await ctx.elb.listeners.removeLoadBalancer(arn);
  return {};
}

async function createListener(ctx: Context, input: QueryInput): Promise<Result> {
  const loadBalancer = requireLoadBalancer(ctx, input);
  const protocol = parseProtocol(input.Protocol) ?? 'HTTP';
  const port = integerIn('Port', optionalNumber(input, 'Port'), 1, 65535);
  if (port === undefined) throw validation('A port must be specified');
  const actions = parseActions(ctx, input.DefaultActions, 'defaultActions');
  checkPort(ctx, loadBalancer.arn, port);
  const arn = listenerArn(loadBalancer.arn);
  const listener: ListenerRecord = {
    arn,
    loadBalancerArn: loadBalancer.arn,
    port,
    protocol,
    rules: [{ arn: ruleArn(arn), priority: 'default', conditions: [], actions }],
  };
  await ctx.elb.listeners.add(listener);
  return { Listeners: [renderListener(listener)] };
}

function describeListeners(ctx: Context, input: QueryInput): Result {
  const arns = list<string>(input, 'ListenerArns');
  const loadBalancerArn = optionalString(input, 'LoadBalancerArn');
  if (arns.length > 0) return { Listeners: arns.map((arn) => renderListener(requireListener(ctx, arn))) };
  if (!loadBalancerArn) throw validation('You must specify either listener ARNs or a load balancer ARN');
  return { Listeners: ctx.elb.listeners.of(requireLoadBalancer(ctx, input).arn).map(renderListener) };
}

/** ModifyListener: what is given replaces what was; DefaultActions replace the default rule's actions. */
function modifyListener(ctx: Context, input: QueryInput): Result {
  const listener = requireListener(ctx, requireString(input, 'ListenerArn'));
  const protocol = parseProtocol(input.Protocol);
  const port = integerIn('Port', optionalNumber(input, 'Port'), 1, 65535);
  const actions = list(input, 'DefaultActions').length > 0 ? parseActions(ctx, input.DefaultActions, 'defaultActions') : undefined;
  if (port !== undefined) checkPort(ctx, listener.loadBalancerArn, port, listener.arn);
  if (protocol) listener.protocol = protocol;
  if (port !== undefined) listener.port = port;
  if (actions) (listener.rules.find((r) => r.priority === 'default') as RuleRecord).actions = actions;
  return { Listeners: [renderListener(listener)] };
}

async function deleteListener(ctx: Context, input: QueryInput): Promise<Result> {
  const listener = requireListener(ctx, requireString(input, 'ListenerArn'));
  await ctx.elb.listeners.remove(listener.arn);
  return {};
}

function createRule(ctx: Context, input: QueryInput): Result {
  const listener = requireListener(ctx, requireString(input, 'ListenerArn'));
  const priority = integerIn('Priority', optionalNumber(input, 'Priority'), 1, 50000);
  if (priority === undefined) throw notNull('priority');
  const conditions = parseConditions(input.Conditions);
  const actions = parseActions(ctx, input.Actions, 'actions');
  if (listener.rules.some((r) => r.priority === String(priority))) throw priorityInUse(priority);
  const rule: RuleRecord = { arn: ruleArn(listener.arn), priority: String(priority), conditions, actions };
  listener.rules.push(rule);
  return { Rules: [renderRule(rule)] };
}

/** The listener's rules by priority, the default rule last. */
function describeRules(ctx: Context, input: QueryInput): Result {
  const arns = list<string>(input, 'RuleArns');
  if (arns.length > 0) {
    return {
      Rules: arns.map((arn) => {
        const found = ctx.elb.listeners.rule(arn);
        if (!found) throw ruleNotFound();
        return renderRule(found.rule);
      }),
    };
  }
  const listenerArnParam = optionalString(input, 'ListenerArn');
  if (!listenerArnParam) throw validation('You must specify either listener rule ARNs or a listener ARN');
  const order = (r: RuleRecord) => (r.priority === 'default' ? Number.POSITIVE_INFINITY : Number(r.priority));
  return { Rules: [...requireListener(ctx, listenerArnParam).rules].sort((a, b) => order(a) - order(b)).map(renderRule) };
}

/** ModifyRule: new conditions or actions replace the old; the default rule takes actions only. */
function modifyRule(ctx: Context, input: QueryInput): Result {
  const arn = requireString(input, 'RuleArn');
  const found = ctx.elb.listeners.rule(arn);
  if (!found) throw ruleNotFound();
  const { rule } = found;
  const conditions = list(input, 'Conditions').length > 0 ? parseConditions(input.Conditions) : undefined;
  const actions = list(input, 'Actions').length > 0 ? parseActions(ctx, input.Actions, 'actions') : undefined;
  if (conditions && rule.priority === 'default') throw operationNotPermitted('Conditions cannot be specified for a default rule');
  if (conditions) rule.conditions = conditions;
  if (actions) rule.actions = actions;
  return { Rules: [renderRule(rule)] };
}

function deleteRule(ctx: Context, input: QueryInput): Result {
  const arn = requireString(input, 'RuleArn');
  const found = ctx.elb.listeners.rule(arn);
  if (!found) throw ruleNotFound();
  if (found.rule.priority === 'default') throw operationNotPermitted(`Default rule '${arn}' cannot be deleted`);
  found.listener.rules = found.listener.rules.filter((r) => r !== found.rule);
  return {};
}

export const listenerOperations = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DeleteListener: deleteListener,
  CreateRule: createRule,
  DescribeRules: describeRules,
  ModifyRule: modifyRule,
  DeleteRule: deleteRule,
};
