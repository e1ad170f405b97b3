import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { PreflightCheck } from '../check';
import { lookUpListener, lookUpTargetGroup, type Lookup } from './elb-lookups';
import { trafficVerdict, type TrafficFindings } from './traffic-resources-verdict';

export interface CodeDeployTrafficOptions {
  elb: ElasticLoadBalancingV2Client;
  /** The deployment group, as the deployment-group check read it (this check reads it no more). */
  group: DeploymentGroupInfo;
  /** `deployment group "…" of application "…"`, for the messages. */
  where: string;
}

const PAIR = 'loadBalancerInfo.targetGroupPairInfoList[0]';

const FIX =
  "Recreate what is missing, or name target groups and listeners that exist in the deployment group's target group pair " +
  '(aws deploy update-deployment-group --load-balancer-info ...): CodeDeploy would fail the deployment after it started. Nothing was changed.';

/**
 * Before a CodeDeploy blue/green deployment is created, its deployment group's target group pair exists: both target
 * groups, by name (DescribeTargetGroups), and the listeners of its prodTrafficRoute and testTrafficRoute
 * (DescribeListeners). CodeDeploy reroutes traffic between those two groups on those listeners; with one gone the
 * deployment fails once started (that it fails then, rather than CreateDeployment refusing, is *unconfirmed*), after
 * the revision is registered. AccessDenied is a warning naming the permission.
 */
export function codeDeployTrafficCheck(options: CodeDeployTrafficOptions): PreflightCheck<undefined> {
  return {
    id: 'codedeploy-traffic-resources',
    title: 'Target groups and listeners',
    protects: false,
    permissions: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeListeners'],
    run: async () => {
      const pair = options.group.loadBalancerInfo?.targetGroupPairInfoList?.[0];
      if (!pair) return { status: 'pass', detail: `the ${options.where} names no target group pair: nothing to check` };
      const groups = (pair.targetGroups ?? []).flatMap((group, j) =>
        group.name ? [{ name: group.name, field: `${PAIR}.targetGroups[${j}]` }] : [],
      );
      const listeners = [
        ...(pair.prodTrafficRoute?.listenerArns ?? []).map((arn) => ({ arn, field: `${PAIR}.prodTrafficRoute` })),
        ...(pair.testTrafficRoute?.listenerArns ?? []).map((arn) => ({ arn, field: `${PAIR}.testTrafficRoute` })),
      ];
      const [groupAnswers, listenerAnswers] = await Promise.all([
        Promise.all(groups.map((group) => lookUpTargetGroup(options.elb, { name: group.name }))),
        Promise.all(listeners.map((listener) => lookUpListener(options.elb, listener.arn))),
      ]);
      const findings: TrafficFindings = { problems: [], unchecked: [] };
      const judge = (answer: Lookup<unknown>, resource: string, field: string, operation: 'DescribeTargetGroups' | 'DescribeListeners') => {
        if (answer.state === 'missing') findings.problems.push(`The ${options.where} names ${resource} in ${field}, which does not exist`);
        if (answer.state === 'unknown') findings.unchecked.push({ what: `${resource} (${field})`, operation, error: answer.error });
      };
      groups.forEach((group, i) => judge(groupAnswers[i], `target group ${group.name}`, group.field, 'DescribeTargetGroups'));
      listeners.forEach((listener, i) => judge(listenerAnswers[i], `listener ${listener.arn}`, listener.field, 'DescribeListeners'));
      const routes = pair.testTrafficRoute?.listenerArns?.length ? 'production and test listeners' : 'production listener';
      return trafficVerdict(findings, {
        fix: FIX,
        pass: `target groups ${groups.map((group) => group.name).join(', ')} and the ${routes} of the ${options.where} exist`,
      });
    },
  };
}
