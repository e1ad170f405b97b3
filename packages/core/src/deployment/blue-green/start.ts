import type { Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import { findServiceDeployment } from '../../ecs/find-service-deployment';
import type { Clock } from '../../common/poll';
import type { Deployment } from '@aws-sdk/client-ecs';
import type { MechanismContext, StartedDeployment, StartRequest } from '../mechanism';
import { existingDeployment, startDeployment } from '../rolling/start';

/**
 * UpdateService as for a rolling update (the same retries, the same care for an attempt that took effect), then the
 * service deployment it started: found by its creation after the update and its target revision, never by being
 * the newest (findServiceDeployment), since a blue/green deployment is followed through it, not through the
 * service's deployments (ECS lists two until clean-up).
 */
export async function startStrategyDeployment(request: StartRequest, context: MechanismContext): Promise<StartedDeployment> {
  const started = await startDeployment(request, context);
  const found = await findServiceDeployment(
    context.ecs,
    { cluster: request.cluster, service: request.service, taskDefinitionArn: request.taskDefinitionArn, since: started.startedAt },
    context,
  );
  if (!found?.serviceDeploymentArn) {
    throw new Error(
      `UpdateService started deployment ${started.deploymentId} of ${shortTaskDefinition(request.taskDefinitionArn)}, but ECS listed no service deployment of it: ` +
        'it cannot be followed. Look at the service deployments in the console; ECS goes on with it.',
    );
  }
  return { ...started, serviceDeploymentArn: found.serviceDeploymentArn };
}

/** A deployment of the revision already under way: its service deployment is found when it is watched. */
export function adoptStrategyDeployment(service: Service, deployment: Deployment, clock: Clock): StartedDeployment {
  return existingDeployment(service, deployment, clock);
}
