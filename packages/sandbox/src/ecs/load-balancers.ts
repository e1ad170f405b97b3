/** The checks CreateService and UpdateService make of a service's `loadBalancers` before anything changes. */
import type { Context } from '../context';
import { invalidParameter } from './errors';
import type { RuleRecord, WeightedTargetGroup } from '../elb/state';
import type { Json, TaskDefinitionRecord } from './state';
import { TRAFFIC_STRATEGIES } from './strategy-configuration';

export function checkLoadBalancers(ctx: Context, taskDefinition: TaskDefinitionRecord | undefined, loadBalancers: Json[]): void {
  for (const lb of loadBalancers) {
    if (lb.targetGroupArn === undefined) continue;
    const arn = String(lb.targetGroupArn);
    if (!ctx.elb.groups.has(arn)) throw invalidParameter(`The target group with targetGroupArn ${arn} does not exist.`);
    if (typeof lb.containerName !== 'string' || typeof lb.containerPort !== 'number') {
      throw invalidParameter('A load balancer needs both containerName and containerPort.');
    }
  }
  if (taskDefinition) checkLoadBalancedContainers(taskDefinition, loadBalancers);
}

/**
 * The load-balanced container and port must be in the task definition the tasks use: "This port must
 * correspond to a containerPort in the task definition the tasks in the service are using" (LoadBalancer, API
 * reference). ECS checks it for each new revision too, so an UpdateService to a revision that renamed the
 * container or dropped the port mapping is refused with the same InvalidParameterException as CreateService.
 */
export function checkLoadBalancedContainers(taskDefinition: TaskDefinitionRecord, loadBalancers: Json[]): void {
  for (const lb of loadBalancers) {
    if (lb.targetGroupArn === undefined) continue;
    const containers = (taskDefinition.body.containerDefinitions as Json[] | undefined) ?? [];
    const container = containers.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    const ports = ((container.portMappings as Json[] | undefined) ?? []).map((p) => p.containerPort);
    if (!ports.includes(lb.containerPort))
      throw invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
  }
}

/**
 * A blue/green, linear or canary service behind a load balancer moves traffic between two target groups by
 * two listener rules: each load balancer needs advancedConfiguration { alternateTargetGroupArn,
 * productionListenerRule, roleArn } and may name a testListenerRule (AdvancedConfiguration, API reference;
 * rules are ALB listener rule ARNs, or for an NLB listener ARNs). The rules must exist, and the production
 * rule must forward to one of the two groups, or ECS could not tell which one serves production.
 */
export function checkAdvancedConfiguration(ctx: Context, strategy: string | undefined, loadBalancers: Json[]): void {
  if (!strategy || !TRAFFIC_STRATEGIES.has(strategy)) return;
  loadBalancers.forEach((lb, index) => {
    if (lb.targetGroupArn === undefined) return;
    const where = `loadBalancers[${index}].advancedConfiguration`;
    const advanced = lb.advancedConfiguration as Json | undefined;
    if (!advanced)
      throw invalidParameter(
        `${where} is required for the ${strategy} deployment strategy: alternateTargetGroupArn, productionListenerRule and roleArn.`,
      );
    const alternate = advanced.alternateTargetGroupArn;
    if (typeof alternate !== 'string' || !ctx.elb.groups.has(alternate))
      throw invalidParameter(`${where}.alternateTargetGroupArn must be an existing target group, got ${JSON.stringify(alternate)}.`);
    if (alternate === lb.targetGroupArn)
      throw invalidParameter(`${where}.alternateTargetGroupArn must differ from targetGroupArn ${String(lb.targetGroupArn)}.`);
    if (typeof advanced.roleArn !== 'string' || !advanced.roleArn.startsWith('arn:'))
      throw invalidParameter(`${where}.roleArn must be the ARN of a role that lets ECS change the listener rules.`);
    const production = forwardOf(ctx, advanced.productionListenerRule);
    if (!production)
      throw invalidParameter(
        `${where}.productionListenerRule must be an existing listener rule (or NLB listener) ARN, got ${JSON.stringify(advanced.productionListenerRule)}.`,
      );
    if (!production.some((g) => g.targetGroupArn === lb.targetGroupArn || g.targetGroupArn === alternate))
      throw invalidParameter(`${where}.productionListenerRule must forward to ${String(lb.targetGroupArn)} or ${alternate}.`);
    if (advanced.testListenerRule !== undefined && !forwardOf(ctx, advanced.testListenerRule))
      throw invalidParameter(
        `${where}.testListenerRule must be an existing listener rule (or NLB listener) ARN, got ${JSON.stringify(advanced.testListenerRule)}.`,
      );
  });
}

/**
 * Why a blue/green, linear or canary deployment cannot move traffic, checked as it starts (ECS checks the rules then,
 * not on UpdateService): "Blue/green deployment errors can occur ... Asynchronous path: Errors that appear in the
 * statusReason field of DescribeServiceDeployments and cause a deployment rollback" (developer guide,
 * "Troubleshooting Amazon ECS blue/green deployments"). A production or test rule forwarding to a group other than
 * the service's two is its "Production listener rule is forwarding traffic to unexpected target group" there. A
 * target group or rule deleted since the service was created fails the same way; ECS's wording for it is
 * *unconfirmed*. Undefined when all is in place.
 */
export function networkingProblem(ctx: Context, loadBalancers: Json[]): string | undefined {
  for (const lb of loadBalancers) {
    const advanced = lb.advancedConfiguration as Json | undefined;
    if (!advanced || lb.targetGroupArn === undefined) continue;
    const pair = [String(lb.targetGroupArn), String(advanced.alternateTargetGroupArn)];
    const gone = pair.find((arn) => !ctx.elb.groups.has(arn));
    if (gone) return `Target group ${gone} does not exist.`;
    for (const [field, arn] of [
      ['productionListenerRule', advanced.productionListenerRule],
      ['testListenerRule', advanced.testListenerRule],
    ] as const) {
      if (arn === undefined) continue;
      const forward = forwardOf(ctx, arn);
      if (!forward) return `${field} ${String(arn)} does not exist.`;
      const unexpected = forward.find((g) => g.weight > 0 && !pair.includes(g.targetGroupArn));
      if (unexpected)
        return `${field === 'productionListenerRule' ? 'Production' : 'Test'} listener rule is forwarding traffic to unexpected target group ${unexpected.targetGroupArn}. Expected traffic to be forwarded to either targetGroupArn: ${pair[0]} or alternateTargetGroupArn: ${pair[1]}`;
    }
  }
  return undefined;
}

/** The target groups a listener rule (or a listener's default rule) forwards to, or undefined when it does not exist. */
export function forwardOf(ctx: Context, arn: unknown): WeightedTargetGroup[] | undefined {
  const rule = ruleOf(ctx, arn);
  return rule ? (rule.actions[0]?.targetGroups ?? []) : undefined;
}

/** A listener rule by ARN, or a listener's default rule by the listener's ARN. */
export function ruleOf(ctx: Context, arn: unknown): RuleRecord | undefined {
  if (typeof arn !== 'string') return undefined;
  const found = ctx.elb.listeners.rule(arn)?.rule;
  if (found) return found;
  return ctx.elb.listeners.byArn.get(arn)?.rules.find((r) => r.priority === 'default');
}
