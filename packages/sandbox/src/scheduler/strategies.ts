/** The deployment strategies the sandbox implements, and which one a service's deployment follows. */
import type { Context } from '../context';
import type { DeploymentRecord, ServiceRecord } from '../ecs/state';
import { rollingStrategy } from './rolling-strategy';
import type { DeploymentStrategy } from './strategy';
import { blueGreenStrategy, canaryStrategy, linearStrategy } from './traffic-strategy';

const STRATEGIES = new Map<string, DeploymentStrategy>([
  ['ROLLING', rollingStrategy],
  ['BLUE_GREEN', blueGreenStrategy],
  ['LINEAR', linearStrategy],
  ['CANARY', canaryStrategy],
]);

/**
 * The strategy of the service's current service deployment: the deploymentConfiguration it started with (a
 * change of deploymentConfiguration alone starts no new deployment), else the primary's, else the service's;
 * absent means ROLLING. The current one, because a blue/green rollback makes the old deployment PRIMARY again
 * while its own (possibly rolling) service deployment is long over.
 */
export function strategyFor(ctx: Context, service: ServiceRecord, primary: DeploymentRecord): DeploymentStrategy {
  const sd =
    (service.currentServiceDeploymentArn ? ctx.ecs.serviceDeployments.get(service.currentServiceDeploymentArn) : undefined) ??
    ctx.ecs.serviceDeployments.get(primary.serviceDeploymentArn);
  const name = sd?.deploymentConfiguration.strategy ?? service.deploymentConfiguration.strategy ?? 'ROLLING';
  return STRATEGIES.get(name) ?? rollingStrategy;
}
