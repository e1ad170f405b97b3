import { DescribeServicesCommand, type Deployment, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';

/**
 * Reads the service, turning "not there" into an error about the input rather than an AWS exception,
 * since it is almost always a typo or the wrong region.
 */
export async function describeService(ecs: ECSClient, cluster: string, service: string, region: string): Promise<Service> {
  let answer;
  try {
    answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  } catch (error) {
    if ((error as Error).name === 'ClusterNotFoundException') {
      throw new ConfigurationError(`Input 'cluster': there is no cluster "${cluster}" in ${region}.`, 'cluster');
    }
    throw error;
  }
  const found = answer.services?.find((s) => s.status !== 'INACTIVE');
  if (!found) {
    const why = answer.failures?.[0]?.reason ?? 'MISSING';
    throw new ConfigurationError(
      `Input 'service': there is no active service "${service}" in cluster "${cluster}" (${region}): ${why}.`,
      'service',
    );
  }
  return found;
}

/** The strategies of the ECS controller this suite deploys and watches, each with a mechanism (see mechanismFor). */
export const SUPPORTED_STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type SupportedStrategy = (typeof SUPPORTED_STRATEGIES)[number];

/**
 * What this suite deploys and watches: the ECS controller's rolling updates and ECS-native blue/green, linear and
 * canary, and the CODE_DEPLOY controller's CodeDeploy blue/green. Other controllers (EXTERNAL) and strategies need a
 * mechanism of their own. Called from one place (mechanismFor), before any change; returns the strategy, or
 * CODE_DEPLOY for that controller (its deployment group decides how traffic moves).
 */
export function assertSupportedService(service: Service): SupportedStrategy | 'CODE_DEPLOY' {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS' && controller !== 'CODE_DEPLOY') {
    throw new ConfigurationError(
      `Service "${service.serviceName}" uses the ${controller} deployment controller, which this action does not support yet: ` +
        'only deployments of the ECS controller (rolling, blue/green, linear and canary) and of CODE_DEPLOY (CodeDeploy blue/green) are deployed and watched. Nothing was changed.',
      'service',
    );
  }
  if (service.status === 'DRAINING') {
    throw new ConfigurationError(`Service "${service.serviceName}" is being deleted (DRAINING); nothing was changed.`, 'service');
  }
  if (controller === 'CODE_DEPLOY') return 'CODE_DEPLOY';
  // Under the ECS controller, deploymentConfiguration.strategy says which kind of deployment ECS runs (ROLLING when absent).
  const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
  if (!(SUPPORTED_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new ConfigurationError(
      `Service "${service.serviceName}" uses the ECS deployment controller with the ${strategy} deployment strategy, which this action does not support yet: ` +
        `only the ${SUPPORTED_STRATEGIES.join(', ')} strategies are deployed and watched. Nothing was changed.`,
      'service',
    );
  }
  return strategy as SupportedStrategy;
}

/** The deployment ECS is moving the service to (status PRIMARY), optionally only when it runs the given revision. */
export function primaryDeployment(service: Pick<Service, 'deployments'> | undefined, taskDefinitionArn?: string): Deployment | undefined {
  return service?.deployments?.find(
    (d) => d.status === 'PRIMARY' && (taskDefinitionArn === undefined || d.taskDefinition === taskDefinitionArn),
  );
}
