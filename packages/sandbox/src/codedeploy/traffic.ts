/**
 * The traffic of an ECS blue/green deployment: CodeDeploy reroutes the production (and test) listener from the
 * original task set's target group (blue) to the replacement's (green). The sandbox changes the listener's default
 * action, on the sandbox's weighted listeners (scheduler/traffic); that CodeDeploy leaves the listener's other
 * rules alone is *unconfirmed*.
 */
import type { Context } from '../context';
import { forwardOf } from '../ecs/load-balancers';
import { forwardShare } from '../scheduler/traffic';
import type { DeploymentRecord, TargetGroupPairRecord } from './state';
import { setProductionWeight } from './progress';

/** The pair's target group ARNs, by name. */
export function pairArns(ctx: Context, pair: TargetGroupPairRecord): string[] {
  return pair.targetGroups.map((g) => [...ctx.elb.groups.values()].find((group) => group.name === g.name)?.arn ?? '');
}

/**
 * What of the deployment group's target group pair is gone since the group was created (CreateDeploymentGroup checked
 * it then, codedeploy/group-checks): a target group deleted (ELBv2 lets one go once no rule forwards to it) or a
 * listener. The deployment then fails as it starts, with ELASTIC_LOAD_BALANCING_INVALID (a code of ErrorInformation
 * in the API reference); that CodeDeploy fails it there, with that code and this wording, rather than refusing
 * CreateDeployment, is *unconfirmed*. Undefined when all is in place.
 */
export function missingTrafficResource(ctx: Context, pair: TargetGroupPairRecord): string | undefined {
  const group = pair.targetGroups.find((g) => ![...ctx.elb.groups.values()].some((candidate) => candidate.name === g.name));
  if (group) return `The target group ${group.name} of the deployment group's target group pair does not exist.`;
  const routes = [...pair.prodTrafficRoute.listenerArns, ...(pair.testTrafficRoute?.listenerArns ?? [])];
  const listener = routes.find((arn) => !ctx.elb.listeners.byArn.has(arn));
  if (listener) return `The listener ${listener} of the deployment group's target group pair does not exist.`;
  return undefined;
}

/** Blue is the group of the pair the production listener sends the most traffic to (the first on a tie). */
export function bluePair(ctx: Context, pair: TargetGroupPairRecord): { blue: string; green: string } {
  const [first, second] = pairArns(ctx, pair);
  const groups = forwardOf(ctx, pair.prodTrafficRoute.listenerArns[0]) ?? [];
  const weight = (arn: string) => groups.find((g) => g.targetGroupArn === arn)?.weight ?? 0;
  return weight(second) > weight(first) ? { blue: second, green: first } : { blue: first, green: second };
}

function pairOf(deployment: DeploymentRecord) {
  return { blue: deployment.blueTargetGroupArn as string, green: deployment.greenTargetGroupArn as string };
}

export function routeTestTraffic(ctx: Context, deployment: DeploymentRecord, greenPercent: number): void {
  for (const listener of deployment.loadBalancerInfo.targetGroupPairInfoList[0].testTrafficRoute?.listenerArns ?? [])
    forwardShare(ctx, listener, pairOf(deployment), greenPercent);
}

export function routeProductionTraffic(ctx: Context, deployment: DeploymentRecord, greenPercent: number): void {
  for (const listener of deployment.loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute.listenerArns)
    forwardShare(ctx, listener, pairOf(deployment), greenPercent);
  setProductionWeight(ctx, deployment, greenPercent);
}
