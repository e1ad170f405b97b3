import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../common/identifiers';
import { primaryDeployment } from './service';

/**
 * Where the service stands when the rendered definition is the one it already runs. That alone says nothing about
 * whether the definition works: Service.taskDefinition follows the PRIMARY deployment from the moment UpdateService
 * creates it, while it still rolls out and after it failed. A re-run of a failed job ("Re-run failed jobs", or the
 * next push of the same image) lands here.
 */
export type UnchangedStanding =
  /** One deployment, completed, running its desired count: nothing to do. */
  | { state: 'settled'; deployment: Deployment }
  /** The deployment of this revision is still rolling out (an earlier run with wait: false, or one that failed on its own threshold). */
  | { state: 'in-progress'; deployment: Deployment }
  /** ECS marked the deployment FAILED (circuit breaker without rollback); it launches no more tasks. */
  | { state: 'failed'; deployment: Deployment; reason: string };

export function judgeUnchangedService(service: Service): UnchangedStanding {
  const primary = primaryDeployment(service);
  if (!primary?.id)
    throw new Error(`Service ${service.serviceName} lists no PRIMARY deployment: cannot tell whether it runs its revision.`);
  // "A deployment in FAILED state doesn't launch any new tasks" (Deployment.rolloutState, ECS API reference): without a
  // new deployment it stays as it is, so there is nothing to wait for.
  if (primary.rolloutState === 'FAILED') {
    return { state: 'failed', deployment: primary, reason: primary.rolloutStateReason ?? 'ECS marked the deployment FAILED' };
  }
  const alone = (service.deployments?.length ?? 0) === 1;
  if (alone && rolledOut(primary) && primary.runningCount === primary.desiredCount) return { state: 'settled', deployment: primary };
  return { state: 'in-progress', deployment: primary };
}

/**
 * ECS returns rolloutState only for rolling-update services that are not behind a Classic Load Balancer
 * (Deployment.rolloutState, ECS API reference); without it, no task still pending is the best sign left.
 */
function rolledOut(deployment: Deployment): boolean {
  if (deployment.rolloutState) return deployment.rolloutState === 'COMPLETED';
  return (deployment.pendingCount ?? 0) === 0;
}

export function settledMessage(deployment: Deployment): string {
  const state = deployment.rolloutState ? ` ${deployment.rolloutState}` : '';
  return `The service is settled on ${shortTaskDefinition(deployment.taskDefinition)} (deployment ${deployment.id}${state}, ${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running): nothing to deploy.`;
}

export function inProgressMessage(deployment: Deployment): string {
  const created = deployment.createdAt ? `created ${new Date(deployment.createdAt).toISOString()}, ` : '';
  const state = deployment.rolloutState ? `, ${deployment.rolloutState}` : '';
  return (
    `The service already runs this definition, but deployment ${deployment.id} of ${shortTaskDefinition(deployment.taskDefinition)} is still in progress ` +
    `(${created}before this step; ${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running${state}): watching it instead of deploying again.`
  );
}

/** The step fails on a FAILED deployment of the revision it was asked to deploy: saying so, and how to try again. */
export function failedBeforeMessage(standing: Extract<UnchangedStanding, { state: 'failed' }>): string {
  const revision = shortTaskDefinition(standing.deployment.taskDefinition);
  return (
    `Deployment ${standing.deployment.id} of ${revision} failed before this step: ${standing.reason.replace(/\.$/, '')}. ` +
    `The service already runs this definition, so there was nothing new to deploy, and ECS launches no new task for a FAILED deployment. ` +
    `Set force-new-deployment: true to deploy ${revision} again (once what it depends on is fixed), or deploy a fixed image.`
  );
}

/** Added to the verdict on a deployment this step watched but did not start. */
export function startedBeforeNote(deployment: Deployment): string {
  return (
    `This step deployed nothing new: the service already ran this definition, and deployment ${deployment.id} had started before this step (an earlier run, or another deploy). ` +
    `Set force-new-deployment: true to deploy ${shortTaskDefinition(deployment.taskDefinition)} again, or deploy a fixed image.`
  );
}
