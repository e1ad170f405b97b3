import { blueGreenTrafficCheck } from '../../preflight/checks/blue-green-traffic';
import { serviceDeploymentsReadableCheck } from '../../preflight/checks/service-deployments-readable';
import { ecsServingRevision, ecsUnchanged } from '../ecs-standing';
import type { DeploymentMechanism } from '../mechanism';
import { strategyBakeTimeMs } from './bake-time';
import { startStrategyRollback } from './roll-back';
import { adoptStrategyDeployment, startStrategyDeployment } from './start';
import { watchStrategyDeployment } from './watch';

/**
 * ECS-native blue/green, linear and canary deployments (the ECS controller, strategy BLUE_GREEN, LINEAR or CANARY):
 * UpdateService starts one as for a rolling update, its service deployment is found by creation time and target
 * revision and followed stage by stage (DescribeServiceDeployments), and a rollback shifts traffic back within it
 * while it is in flight.
 */
export const blueGreenMechanism: DeploymentMechanism = {
  kind: 'ECS blue/green deployment',
  waitTargets: ['complete', 'bake', 'paused'],
  pausesAt: 'pause-hook',
  bakeTimeMs: strategyBakeTimeMs,
  // wait-until paused on a service without a PAUSE hook is refused by deploy's own pre-flight check (it knows the input).
  // A rollback does without the service deployment reads (it falls back, with a warning); a deploy cannot. A deploy
  // that starts a deployment checks first that the target groups and listener rules it shifts traffic with exist.
  preflightChecks: (service, { ecs, elb, cluster, purpose, deploy }) =>
    purpose === 'deploy'
      ? [
          serviceDeploymentsReadableCheck({ ecs, cluster, service }),
          ...(elb && !deploy?.following ? [blueGreenTrafficCheck({ elb, service })] : []),
        ]
      : [],
  start: startStrategyDeployment,
  judgeUnchanged: ecsUnchanged(adoptStrategyDeployment),
  servingRevision: ecsServingRevision,
  watch: watchStrategyDeployment,
  rollBack: startStrategyRollback,
};
