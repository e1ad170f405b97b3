/**
 * The ELBv2 operations the suite uses, by their API reference: target groups, their attributes, targets
 * and target health (load balancers, listeners and rules are in elb/listener-operations). Inputs arrive as parsed awsQuery parameters; answers are the `<Action>Result` members.
 */
import type { Context } from '../context';
import { elbId } from '../ids';
import { listParam, stringParam, type QueryInput, type QueryValue, type XmlValue } from '../query/codec';
import {
  duplicateTargetGroupName,
  invalidTarget,
  loadBalancerNotFound,
  notNull,
  resourceInUse,
  targetGroupNotFound,
  validation,
} from './errors';
import { listenerOperations } from './listener-operations';
import { list, optionalBoolean, optionalNumber, optionalString, requireString } from './params';
import { DEFAULT_ATTRIBUTES, REASONS, targetKey, type TargetGroupRecord } from './state';

type Result = { [key: string]: XmlValue };
export type ElbOperation = (ctx: Context, input: QueryInput) => Result | Promise<Result>;

function requireGroup(ctx: Context, input: QueryInput): TargetGroupRecord {
  const group = ctx.elb.groups.get(requireString(input, 'TargetGroupArn'));
  if (!group) throw targetGroupNotFound();
  return group;
}

/** The group's own load balancer, then those whose listener rules forward to it. */
const loadBalancerArns = (ctx: Context, group: TargetGroupRecord): string[] => [
  ...new Set([group.loadBalancerArn, ...ctx.elb.listeners.forwardingTo(group.arn)]),
];

function renderGroup(ctx: Context, group: TargetGroupRecord): Result {
  const hc = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: loadBalancerArns(ctx, group),
    TargetType: group.targetType,
    ProtocolVersion: group.protocolVersion,
    IpAddressType: group.ipAddressType,
  };
}

const renderAttributes = (group: TargetGroupRecord): XmlValue[] => Object.entries(group.attributes).map(([Key, Value]) => ({ Key, Value }));

function inRange(name: string, value: number | undefined, low: number, high: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < low || value > high)
    throw validation(`${name} must be an integer between ${low} and ${high}, got ${value}`);
}

/** CreateTargetGroup, with the defaults of an HTTP target group (API reference). Idempotent for identical settings. */
async function createTargetGroup(ctx: Context, input: QueryInput): Promise<Result> {
  const name = requireString(input, 'Name');
  if (name.length > 32 || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name)) {
    throw validation(
      `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), must not begin or end with a hyphen and must be at most 32 characters`,
    );
  }
  const protocol = optionalString(input, 'Protocol');
  const port = optionalNumber(input, 'Port');
  const targetType = optionalString(input, 'TargetType') ?? 'instance';
  if (targetType !== 'lambda') {
    if (!protocol) throw validation('A protocol must be specified');
    if (port === undefined) throw validation('A port must be specified');
    if (!optionalString(input, 'VpcId')) throw validation('A VPC ID must be specified');
  }
  inRange('Port', port, 1, 65535);
  const interval = optionalNumber(input, 'HealthCheckIntervalSeconds') ?? 30;
  // Defaults by protocol, from the API reference: 6 s for HTTP, 10 s for HTTPS, 30 s for Lambda targets.
  const timeout = optionalNumber(input, 'HealthCheckTimeoutSeconds') ?? (targetType === 'lambda' ? 30 : protocol === 'HTTPS' ? 10 : 6);
  inRange('HealthCheckIntervalSeconds', interval, 5, 300);
  inRange('HealthCheckTimeoutSeconds', timeout, 2, 120);
  if (timeout >= interval) throw validation('Health check interval must be greater than the timeout.');
  const healthy = optionalNumber(input, 'HealthyThresholdCount') ?? 5;
  const unhealthy = optionalNumber(input, 'UnhealthyThresholdCount') ?? 2;
  inRange('HealthyThresholdCount', healthy, 2, 10);
  inRange('UnhealthyThresholdCount', unhealthy, 2, 10);
  const matcher = stringParam((input.Matcher as QueryInput | undefined)?.HttpCode) ?? '200';
  if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(matcher))
    throw validation(`Health check matcher HTTP code '${matcher}' must be a code, a list of codes or a range such as 200-299`);
  const path = optionalString(input, 'HealthCheckPath') ?? '/';
  if (!path.startsWith('/')) throw validation(`Health check path '${path}' must begin with a '/' character`);

  const group: TargetGroupRecord = {
    arn: '',
    name,
    protocol: protocol ?? 'HTTP',
    port: port ?? 80,
    vpcId: optionalString(input, 'VpcId'),
    targetType,
    protocolVersion: optionalString(input, 'ProtocolVersion') ?? 'HTTP1',
    ipAddressType: optionalString(input, 'IpAddressType') ?? 'ipv4',
    healthCheck: {
      enabled: optionalBoolean(input, 'HealthCheckEnabled') ?? true,
      protocol: optionalString(input, 'HealthCheckProtocol') ?? 'HTTP',
      port: optionalString(input, 'HealthCheckPort') ?? 'traffic-port',
      path,
      intervalSeconds: interval,
      timeoutSeconds: timeout,
      healthyThreshold: healthy,
      unhealthyThreshold: unhealthy,
      matcher,
    },
    attributes: { ...DEFAULT_ATTRIBUTES },
    loadBalancerArn: '',
    targets: new Map(),
    createdAt: ctx.clock.now(),
  };
  const existing = [...ctx.elb.groups.values()].find((g) => g.name === name);
  if (existing) {
    const same =
      JSON.stringify(renderGroup(ctx, { ...group, arn: existing.arn, loadBalancerArn: existing.loadBalancerArn })) ===
      JSON.stringify(renderGroup(ctx, existing));
    if (!same) throw duplicateTargetGroupName(name);
    return { TargetGroups: [renderGroup(ctx, existing)] };
  }
  group.arn = ctx.arns.targetGroup(name, elbId());
  group.loadBalancerArn = ctx.arns.loadBalancer(`sandbox-${name}`.slice(0, 32), elbId());
  await ctx.elb.add(group);
  return { TargetGroups: [renderGroup(ctx, group)] };
}

function describeTargetGroups(ctx: Context, input: QueryInput): Result {
  const arns = list<string>(input, 'TargetGroupArns');
  const names = list<string>(input, 'Names');
  const loadBalancerArn = optionalString(input, 'LoadBalancerArn');
  let groups = [...ctx.elb.groups.values()];
  if (loadBalancerArn) {
    if (!ctx.elb.listeners.loadBalancers.has(loadBalancerArn)) throw loadBalancerNotFound();
    groups = groups.filter((g) => loadBalancerArns(ctx, g).includes(loadBalancerArn));
  }
  if (arns.length > 0) {
    groups = arns.map((arn) => ctx.elb.groups.get(arn) ?? (undefined as never));
    if (groups.some((g) => !g)) throw targetGroupNotFound();
  } else if (names.length > 0) {
    groups = names.map((name) => [...ctx.elb.groups.values()].find((g) => g.name === name) as TargetGroupRecord);
    if (groups.some((g) => !g)) throw targetGroupNotFound();
  }
  return { TargetGroups: groups.map((g) => renderGroup(ctx, g)) };
}

async function deleteTargetGroup(ctx: Context, input: QueryInput): Promise<Result> {
  const arn = requireString(input, 'TargetGroupArn');
  const group = ctx.elb.groups.get(arn);
  // Its own load balancer goes with it; another load balancer's listener forwarding to it keeps it in use.
  if (group && ctx.elb.listeners.forwardingTo(arn).some((lb) => lb !== group.loadBalancerArn)) {
    throw resourceInUse(arn);
  }
  await ctx.elb.remove(arn);
  return {};
}

function describeTargetGroupAttributes(ctx: Context, input: QueryInput): Result {
  return { Attributes: renderAttributes(requireGroup(ctx, input)) };
}

function modifyTargetGroupAttributes(ctx: Context, input: QueryInput): Result {
  const group = requireGroup(ctx, input);
  const changes = list(input, 'Attributes');
  // Validate every change before applying any, so a bad request changes nothing.
  for (const change of changes) {
    const key = optionalString(change, 'Key') ?? '';
    const value = optionalString(change, 'Value') ?? '';
    if (!(key in DEFAULT_ATTRIBUTES)) throw validation(`Target group attribute key '${key}' is not recognized`);
    if (key === 'deregistration_delay.timeout_seconds' && !(/^\d+$/.test(value) && Number(value) <= 3600)) {
      throw validation(
        `Target group attribute 'deregistration_delay.timeout_seconds' must be an integer between 0 and 3600, got '${value}'`,
      );
    }
  }
  for (const change of changes) group.attributes[optionalString(change, 'Key') as string] = optionalString(change, 'Value') ?? '';
  return { Attributes: renderAttributes(group) };
}

function targets(input: QueryValue | undefined, group: TargetGroupRecord): Array<{ id: string; port: number; availabilityZone?: string }> {
  const given = listParam(input) as QueryInput[];
  if (given.length === 0) throw notNull('targets');
  return given.map((t) => {
    const id = optionalString(t, 'Id');
    if (!id) throw validation('A target ID must be specified');
    const port = optionalNumber(t, 'Port') ?? group.port;
    inRange('Port', port, 1, 65535);
    return { id, port, availabilityZone: optionalString(t, 'AvailabilityZone') };
  });
}

function registerTargets(ctx: Context, input: QueryInput): Result {
  const group = requireGroup(ctx, input);
  const list = targets(input.Targets, group);
  for (const t of list) {
    if (group.targetType === 'ip' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(t.id)) throw invalidTarget(t.id);
  }
  for (const t of list) ctx.elb.register(group, t.id, t.port, t.availabilityZone);
  return {};
}

/** "If the specified target does not exist, the action returns successfully" (DeregisterTargets, API reference). */
function deregisterTargets(ctx: Context, input: QueryInput): Result {
  const group = requireGroup(ctx, input);
  for (const t of targets(input.Targets, group)) ctx.elb.deregister(group, t.id, t.port);
  return {};
}

function describeTargetHealth(ctx: Context, input: QueryInput): Result {
  const group = requireGroup(ctx, input);
  const asked = list(input, 'Targets').length > 0 ? targets(input.Targets, group) : undefined;
  const port = (targetPort: number) => (group.healthCheck.port === 'traffic-port' ? String(targetPort) : group.healthCheck.port);
  const described = asked
    ? asked.map((t) => {
        const target = group.targets.get(targetKey(t.id, t.port));
        if (!target)
          return {
            Target: { Id: t.id, Port: t.port },
            HealthCheckPort: port(t.port),
            TargetHealth: { State: 'unused', Reason: REASONS.notRegistered.reason, Description: REASONS.notRegistered.description },
          };
        return target;
      })
    : [...group.targets.values()];
  return {
    TargetHealthDescriptions: described.map((t) =>
      'Target' in t
        ? t
        : {
            Target: { Id: t.id, Port: t.port, AvailabilityZone: t.availabilityZone },
            HealthCheckPort: port(t.port),
            TargetHealth: { State: t.state, Reason: t.reason, Description: t.description },
          },
    ),
  };
}

export const elbOperations: Record<string, ElbOperation> = {
  ...listenerOperations,
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  DeleteTargetGroup: deleteTargetGroup,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
};
