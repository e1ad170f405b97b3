import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import type { PreflightCheck } from '../check';
import { elbNameOf, isListenerArn, lookUpListenerRule, lookUpTargetGroup, type Forwarding, type Lookup } from './elb-lookups';
import { trafficVerdict, type TrafficFindings } from './traffic-resources-verdict';

export interface BlueGreenTrafficOptions {
  elb: ElasticLoadBalancingV2Client;
  service: Service;
}

const FIX =
  "Recreate what is missing, or point the service's loadBalancers at target groups and listener rules that exist " +
  '(UpdateService with loadBalancers and their advancedConfiguration): ECS would start the deployment and roll it back part-way. ' +
  'Nothing was changed.';

/**
 * Before an ECS-native blue/green, linear or canary deployment starts, the resources it moves traffic with exist:
 * for each of the service's load balancers with an advancedConfiguration, its target group and alternate target
 * group (DescribeTargetGroups), and its production and test listener rules (DescribeRules; for a Network Load
 * Balancer they are listener ARNs, DescribeListeners), each rule forwarding to those two groups and no other.
 * ECS checks these only once the deployment runs: a rule forwarding elsewhere rolls it back "because of invalid
 * networking configuration" (developer guide, "Troubleshooting Amazon ECS blue/green deployments"), so would a group
 * or rule deleted since the service was created (that wording is *unconfirmed*), with green tasks already started.
 * AccessDenied is a warning naming the permission.
 */
export function blueGreenTrafficCheck(options: BlueGreenTrafficOptions): PreflightCheck<undefined> {
  return {
    id: 'blue-green-traffic-resources',
    title: 'Alternate target group and listener rules',
    protects: false,
    permissions: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeRules'],
    run: async () => {
      const balanced = (options.service.loadBalancers ?? []).flatMap((lb, index) =>
        lb.targetGroupArn && lb.advancedConfiguration ? [{ lb, index }] : [],
      );
      if (!balanced.length) return { status: 'pass', detail: 'no load balancer with an advancedConfiguration: nothing to check' };
      const findings: TrafficFindings = { problems: [], unchecked: [] };
      await Promise.all(balanced.map(({ lb, index }) => checkLoadBalancer(options.elb, lb, `loadBalancers[${index}]`, findings)));
      const names = balanced.flatMap(({ lb }) => [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn]);
      const rules = balanced.some(({ lb }) => lb.advancedConfiguration?.testListenerRule)
        ? 'production and test listener rules'
        : 'production listener rule';
      return trafficVerdict(findings, {
        fix: FIX,
        pass: `target groups ${names
          .filter(Boolean)
          .map((arn) => elbNameOf(arn as string))
          .join(', ')} exist; the ${rules} exist and forward to them`,
      });
    },
  };
}

async function checkLoadBalancer(elb: ElasticLoadBalancingV2Client, lb: LoadBalancer, where: string, findings: TrafficFindings) {
  const advanced = lb.advancedConfiguration ?? {};
  const primary = lb.targetGroupArn as string;
  const alternate = advanced.alternateTargetGroupArn;
  const groups = [
    { arn: primary, field: `${where}.targetGroupArn` },
    ...(alternate ? [{ arn: alternate, field: `${where}.advancedConfiguration.alternateTargetGroupArn` }] : []),
  ];
  const rules = [
    { arn: advanced.productionListenerRule, field: `${where}.advancedConfiguration.productionListenerRule` },
    { arn: advanced.testListenerRule, field: `${where}.advancedConfiguration.testListenerRule` },
  ].filter((rule): rule is { arn: string; field: string } => Boolean(rule.arn));
  const [groupAnswers, ruleAnswers] = await Promise.all([
    Promise.all(groups.map((group) => lookUpTargetGroup(elb, { arn: group.arn }))),
    Promise.all(rules.map((rule) => lookUpListenerRule(elb, rule.arn))),
  ]);
  groups.forEach((group, i) => {
    const what = `target group ${elbNameOf(group.arn)} (${group.field})`;
    const answer = groupAnswers[i];
    if (answer.state === 'missing')
      findings.problems.push(`The service's ${group.field} names target group ${group.arn}, which does not exist`);
    if (answer.state === 'unknown') findings.unchecked.push({ what, operation: 'DescribeTargetGroups', error: answer.error });
  });
  rules.forEach((rule, i) => judgeRule(rule, ruleAnswers[i], [primary, alternate].filter(Boolean) as string[], findings));
}

function judgeRule(rule: { arn: string; field: string }, answer: Lookup<Forwarding>, pair: string[], findings: TrafficFindings) {
  const kind = isListenerArn(rule.arn) ? 'listener' : 'listener rule';
  if (answer.state === 'unknown') {
    const operation = isListenerArn(rule.arn) ? 'DescribeListeners' : 'DescribeRules';
    findings.unchecked.push({ what: `${kind} ${rule.arn} (${rule.field})`, operation, error: answer.error });
    return;
  }
  if (answer.state === 'missing') {
    findings.problems.push(`The service's ${rule.field} names ${kind} ${rule.arn}, which does not exist`);
    return;
  }
  const forwarded = answer.value.targetGroups;
  const elsewhere = forwarded.filter((group) => group.weight > 0 && !pair.includes(group.arn)).map((group) => elbNameOf(group.arn));
  const pairNames = pair.map(elbNameOf).join(' and ');
  if (elsewhere.length)
    findings.problems.push(
      `The ${kind} in the service's ${rule.field} forwards to ${elsewhere.join(', ')}, which is not one of its target groups (${pairNames}): ` +
        'ECS would roll the deployment back for invalid networking configuration',
    );
  else if (!forwarded.some((group) => pair.includes(group.arn)))
    findings.problems.push(`The ${kind} in the service's ${rule.field} forwards to neither of its target groups (${pairNames})`);
}
