import type { Deployment, ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Logger } from '../common/logger';
import { readDeploymentHistory, serviceDeploymentId } from './deployment-history';
import { shortTaskDefinition } from '../common/identifiers';
import { primaryDeployment } from './service';
import { epochMs } from './times';

/** The revision that was serving when a deploy started: where a rollback of that deploy returns to. */
export interface ServingRevision {
  /** Undefined when no deployment of the service is known to have completed; never a guess. */
  taskDefinitionArn?: string;
  /** One phrase saying how it was found (or why none was), for the log. */
  evidence: string;
}

/**
 * Not Service.taskDefinition: that follows the PRIMARY deployment from the moment UpdateService creates it, so after
 * a failed deploy that nobody rolled back it names the broken revision while the older deployment's tasks still
 * serve. A deployment "transitions to a COMPLETED state" only "when the service reaches a steady state"
 * (Deployment.rolloutState, ECS API reference), so the newest COMPLETED deployment DescribeServices lists is the
 * revision that last worked and is still running: normally the PRIMARY; after a failed, not rolled-back deploy,
 * the ACTIVE one beside it.
 */
export function newestCompletedDeployment(service: Pick<Service, 'deployments'>): Deployment | undefined {
  return (service.deployments ?? [])
    .filter((deployment) => deployment.rolloutState === 'COMPLETED' && deployment.taskDefinition)
    .sort((a, b) => epochMs(b.createdAt) - epochMs(a.createdAt))[0];
}

/**
 * The service's newest COMPLETED deployment; when DescribeServices lists none (the old tasks drained while a broken
 * deploy still rolls out, or a service without rollout states), the service's deployment history: the current
 * service deployment's revision if it ended SUCCESSFUL, else the last revision that completed one before it.
 */
export async function findServingRevision(ecs: ECSClient, cluster: string, service: Service, log: Logger): Promise<ServingRevision> {
  const completed = newestCompletedDeployment(service);
  if (completed?.taskDefinition) {
    const primary = primaryDeployment(service);
    const beside =
      completed === primary
        ? ''
        : `, still serving beside the PRIMARY deployment${primary ? ` ${primary.id} of ${shortTaskDefinition(primary.taskDefinition)}` : ''}`;
    return {
      taskDefinitionArn: completed.taskDefinition,
      evidence: `deployment ${completed.id} (${completed.status}) is COMPLETED${beside}`,
    };
  }
  const history = await readDeploymentHistory(ecs, cluster, service, log);
  const current = history.current;
  if (current?.status === 'SUCCESSFUL' && current.taskDefinitionArn) {
    return {
      taskDefinitionArn: current.taskDefinitionArn,
      evidence: `the current service deployment ${serviceDeploymentId(current.serviceDeploymentArn)} ended SUCCESSFUL`,
    };
  }
  if (history.previous) return { taskDefinitionArn: history.previous.taskDefinitionArn, evidence: history.previous.evidence };
  const now = current
    ? `; the current service deployment${current.taskDefinitionArn ? ` of ${shortTaskDefinition(current.taskDefinitionArn)}` : ''} is ${current.status ?? 'of unknown status'}`
    : '';
  return {
    evidence: `no deployment of this service is known to have completed (DescribeServices lists none COMPLETED, nor does its ${history.source === 'service-deployments' ? 'service deployment history' : 'deployment list'}${now})`,
  };
}
