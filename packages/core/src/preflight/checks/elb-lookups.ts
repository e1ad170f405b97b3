import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { errorMessage, isAccessDenied } from '../../common/errors';
import { deniedAction } from '../check-errors';

/**
 * One ELBv2 resource looked up on its own: found (with what the checks need of it), missing (ELBv2 answered its
 * NotFound error), or not known (any other error: a refusal, a throttle that outlived the retries).
 */
export type Lookup<T> = { state: 'found'; value: T } | { state: 'missing' } | { state: 'unknown'; error: unknown };

/** The target groups a rule's (or a listener's default) forward actions send requests to, with their weights. */
export interface Forwarding {
  targetGroups: Array<{ arn: string; weight: number }>;
}

// DescribeTargetGroups, DescribeRules and DescribeListeners answer TargetGroupNotFound, RuleNotFound, ListenerNotFound
// (API reference, each action's Errors) for any ARN or name of the list that does not exist, without saying which:
// so each resource is asked for on its own.
const NOT_FOUND = /^(TargetGroupNotFound|RuleNotFound|ListenerNotFound)(Exception)?$/;

async function lookUp<T>(read: () => Promise<T | undefined>): Promise<Lookup<T>> {
  try {
    const value = await read();
    return value === undefined ? { state: 'missing' } : { state: 'found', value };
  } catch (error) {
    if (error instanceof Error && NOT_FOUND.test(error.name)) return { state: 'missing' };
    return { state: 'unknown', error };
  }
}

/** A target group by ARN or (CodeDeploy's target group pair names them) by name; its ARN when it exists. */
export function lookUpTargetGroup(elb: ElasticLoadBalancingV2Client, by: { arn: string } | { name: string }): Promise<Lookup<string>> {
  const input = 'arn' in by ? { TargetGroupArns: [by.arn] } : { Names: [by.name] };
  return lookUp(async () => (await elb.send(new DescribeTargetGroupsCommand(input))).TargetGroups?.[0]?.TargetGroupArn);
}

/**
 * What an ECS-native blue/green `productionListenerRule` or `testListenerRule` forwards to: an ALB listener rule ARN
 * (DescribeRules), or for a Network Load Balancer a listener ARN (DescribeListeners, its default actions), as
 * AdvancedConfiguration in the ECS API reference allows.
 */
export function lookUpListenerRule(elb: ElasticLoadBalancingV2Client, arn: string): Promise<Lookup<Forwarding>> {
  if (!isListenerArn(arn))
    return lookUp(async () => {
      const rule = (await elb.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules?.[0];
      return rule && forwardingOf(rule.Actions);
    });
  return lookUpListener(elb, arn);
}

/** A listener and where its default actions forward (CodeDeploy's prodTrafficRoute and testTrafficRoute name listeners). */
export function lookUpListener(elb: ElasticLoadBalancingV2Client, arn: string): Promise<Lookup<Forwarding>> {
  return lookUp(async () => {
    const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [arn] }))).Listeners?.[0];
    return listener && forwardingOf(listener.DefaultActions);
  });
}

/** `arn:...:listener/net/...` names a listener; `arn:...:listener-rule/app/...` a rule. */
export const isListenerArn = (arn: string) => /:listener\//.test(arn);

function forwardingOf(actions: Action[] | undefined): Forwarding {
  const targetGroups: Forwarding['targetGroups'] = [];
  for (const action of actions ?? []) {
    if (action.Type !== 'forward') continue;
    const weighted = action.ForwardConfig?.TargetGroups ?? [];
    if (weighted.length) for (const group of weighted) targetGroups.push({ arn: group.TargetGroupArn ?? '', weight: group.Weight ?? 1 });
    else if (action.TargetGroupArn) targetGroups.push({ arn: action.TargetGroupArn, weight: 1 });
  }
  return { targetGroups };
}

/** The short name in an ELBv2 ARN: `targetgroup/web-blue/0123` → web-blue; a listener or rule ARN stays whole. */
export function elbNameOf(arn: string): string {
  const match = /:targetgroup\/([^/]+)\//.exec(arn);
  return match ? match[1] : arn;
}

/** Why a resource could not be checked, for the warning: the permission refused, or the error met. */
export function notCheckedBecause(error: unknown, operation: string): string {
  if (isAccessDenied(error)) return `the role may not call ${deniedAction(error) ?? `elasticloadbalancing:${operation}`}`;
  return `${operation} answered ${(error as Error).name}: ${errorMessage(error)}`;
}
