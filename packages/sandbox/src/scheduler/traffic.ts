/**
 * The traffic of a blue/green, linear or canary deployment: which of a load balancer's two target groups
 * serves production now (blue) and which one the new revision's tasks register in (green), and the weights
 * of the production and test listener rules between them. ECS changes the rules' forward actions itself
 * (advancedConfiguration.roleArn lets it), so the listeners' real sockets route by them at once. Developer guide,
 * "Amazon ECS blue/green service deployments workflow" (the production and test listener rules move to the green
 * target group) and "Resources for Amazon ECS blue/green deployments" (the alternate target group and the rules).
 */
import type { Context } from '../context';
import { ruleOf } from '../ecs/load-balancers';
import type { Json, ServiceDeploymentRecord, ServiceRecord, TrafficPairRecord } from '../ecs/state';

/**
 * Blue is the group of the two that the production rule sends the most traffic to (the primary
 * targetGroupArn on a tie): the roles swap with each deployment that completes.
 */
export function trafficPairs(ctx: Context, service: ServiceRecord): TrafficPairRecord[] {
  const pairs: TrafficPairRecord[] = [];
  for (const lb of service.loadBalancers) {
    const advanced = lb.advancedConfiguration as Json | undefined;
    if (!advanced || lb.targetGroupArn === undefined) continue;
    const primary = String(lb.targetGroupArn);
    const alternate = String(advanced.alternateTargetGroupArn);
    const groups = ruleOf(ctx, advanced.productionListenerRule)?.actions[0]?.targetGroups ?? [];
    const weight = (arn: string) => groups.find((g) => g.targetGroupArn === arn)?.weight ?? 0;
    const blue = weight(alternate) > weight(primary) ? alternate : primary;
    pairs.push({
      blue,
      green: blue === primary ? alternate : primary,
      productionListenerRule: String(advanced.productionListenerRule),
      testListenerRule: advanced.testListenerRule === undefined ? undefined : String(advanced.testListenerRule),
    });
  }
  return pairs;
}

/** The service's load balancers as green tasks use them: each blue/green pair's green group instead of targetGroupArn. */
export function greenLoadBalancers(service: ServiceRecord, pairs: TrafficPairRecord[]): Json[] {
  let index = 0;
  return service.loadBalancers.map((lb) => {
    if (!lb.advancedConfiguration || lb.targetGroupArn === undefined) return lb;
    return { ...lb, targetGroupArn: pairs[index++].green };
  });
}

/**
 * Green's share in percent as rule weights (0–999 each): tenths of a percent, so 5% is 50 against 950 and a
 * canary of 0.1% is 1 against 999; all or nothing is a single weight of 1.
 */
function weights(pair: Pick<TrafficPairRecord, 'blue' | 'green'>, greenPercent: number) {
  if (greenPercent >= 100)
    return [
      { targetGroupArn: pair.blue, weight: 0 },
      { targetGroupArn: pair.green, weight: 1 },
    ];
  if (greenPercent <= 0)
    return [
      { targetGroupArn: pair.blue, weight: 1 },
      { targetGroupArn: pair.green, weight: 0 },
    ];
  const green = Math.max(1, Math.round(greenPercent * 10));
  return [
    { targetGroupArn: pair.blue, weight: Math.min(999, 1000 - green) },
    { targetGroupArn: pair.green, weight: green },
  ];
}

/** Sets a rule's (or a listener's default rule's) forward action to give `pair.green` `greenPercent` of its traffic. */
export function forwardShare(ctx: Context, ruleArn: string, pair: Pick<TrafficPairRecord, 'blue' | 'green'>, greenPercent: number): void {
  const rule = ruleOf(ctx, ruleArn);
  // A new action object: the listener starts a fresh weighted rotation for it (elb/listeners).
  if (rule) rule.actions = [{ type: 'forward', targetGroups: weights(pair, greenPercent), shorthand: false }];
}

/** Sets green's share of test or production traffic on every pair's rule, and records it on the service deployment. */
export function shiftTraffic(ctx: Context, sd: ServiceDeploymentRecord, which: 'test' | 'production', greenPercent: number): void {
  for (const pair of sd.traffic ?? []) {
    const arn = which === 'test' ? pair.testListenerRule : pair.productionListenerRule;
    if (arn !== undefined) forwardShare(ctx, arn, pair, greenPercent);
  }
  if (which === 'test') sd.testTrafficWeight = greenPercent;
  else sd.productionTrafficWeight = greenPercent;
  sd.updatedAt = ctx.clock.now();
}
