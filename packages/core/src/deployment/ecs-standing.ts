import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { Clock } from '../common/poll';
import { findServingRevision, type ServingRevision } from '../ecs/serving-revision';
import { failedBeforeMessage, inProgressMessage, judgeUnchangedService, settledMessage } from '../ecs/unchanged-service';
import type { MechanismContext, StartedDeployment, UnchangedStanding } from './mechanism';

/**
 * judgeUnchanged for the ECS controller's mechanisms: the service's deployments say it (judgeUnchangedService), and
 * a deployment of the revision still under way is adopted the mechanism's way.
 */
export function ecsUnchanged(
  adopt: (service: Service, deployment: Deployment, clock: Clock) => StartedDeployment,
): (service: Service, context: MechanismContext) => Promise<UnchangedStanding> {
  return async (service, { clock }) => {
    const standing = judgeUnchangedService(service);
    if (standing.state === 'settled') return { state: 'settled', message: settledMessage(standing.deployment) };
    if (standing.state === 'failed')
      return {
        state: 'failed',
        message: failedBeforeMessage(standing),
        ...(standing.deployment.id ? { deploymentId: standing.deployment.id } : {}),
      };
    return { state: 'in-progress', message: inProgressMessage(standing.deployment), started: adopt(service, standing.deployment, clock) };
  };
}

/** servingRevision for the ECS controller's mechanisms: the newest COMPLETED deployment, or the service deployment history. */
export function ecsServingRevision(
  service: Service,
  { ecs, cluster, log }: MechanismContext & { cluster: string },
): Promise<ServingRevision> {
  return findServingRevision(ecs, cluster, service, log);
}
