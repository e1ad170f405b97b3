/** The deployment strategies the sandbox implements, and which one a service's deployment follows. */
import type { Context } from '../context';
import type { DeploymentRecord, ServiceRecord } from '../ecs/state';
import { rollingStrategy } from './rolling-strategy';
import type { DeploymentStrategy } from './strategy';

const STRATEGIES = new Map<string, DeploymentStrategy>([['ROLLING', rollingStrategy]]);

/**
 * The strategy of the service's current deployment: the deploymentConfiguration it started with (a change of
 * deploymentConfiguration alone starts no new deployment), else the service's; absent means ROLLING. The
 * sandbox accepts BLUE_GREEN, LINEAR and CANARY services and has always rolled them: until their strategies
 * exist, they still do.
 */
export function strategyFor(ctx: Context, service: ServiceRecord, primary: DeploymentRecord): DeploymentStrategy {
  const sd = ctx.ecs.serviceDeployments.get(primary.serviceDeploymentArn);
  const name = sd?.deploymentConfiguration.strategy ?? service.deploymentConfiguration.strategy ?? 'ROLLING';
  return STRATEGIES.get(name) ?? rollingStrategy;
}
