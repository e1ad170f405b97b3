import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Logger } from '../common/logger';
import { readDeploymentHistory, serviceDeploymentId } from './deployment-history';
import { newestCompletedDeployment, type ServingRevision } from './serving-revision';

/**
 * What served before a service deployment that another step started and this one follows (previous-task-definition-
 * arn). Not the revision serving now: once the followed deployment has completed, that is its own. While it rolls
 * out, the newest COMPLETED deployment beside its PRIMARY one; once it is the only one left, the revision that
 * completed a deployment before it in the service's deployment history. Never a guess: undefined when neither says.
 */
export async function servedBeforeServiceDeployment(
  ecs: ECSClient,
  request: { cluster: string; serviceDeploymentArn: string },
  service: Service,
  log: Logger,
): Promise<ServingRevision> {
  const id = serviceDeploymentId(request.serviceDeploymentArn);
  const beside = newestCompletedDeployment({ deployments: (service.deployments ?? []).filter((d) => d.status !== 'PRIMARY') });
  if (beside?.taskDefinition) {
    return {
      taskDefinitionArn: beside.taskDefinition,
      evidence: `deployment ${beside.id} (${beside.status}) is COMPLETED beside the service deployment followed`,
    };
  }
  const history = await readDeploymentHistory(ecs, request.cluster, service, log);
  if (history.current?.serviceDeploymentArn !== request.serviceDeploymentArn) {
    const newer = history.current?.serviceDeploymentArn
      ? `; the service's current one is ${serviceDeploymentId(history.current.serviceDeploymentArn)}`
      : '';
    return { evidence: `service deployment ${id} is not the service's current one in its deployment history${newer}` };
  }
  const before = history.lastCompleted;
  if (before) return { taskDefinitionArn: before.taskDefinitionArn, evidence: `${before.evidence}, before service deployment ${id}` };
  return { evidence: `no deployment before service deployment ${id} is known to have completed` };
}
