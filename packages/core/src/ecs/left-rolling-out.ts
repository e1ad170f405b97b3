import type { Service } from '@aws-sdk/client-ecs';
import { circuitBreakerOf } from './circuit-breaker';
import { serviceDeploymentsLink } from './links';
import { primaryDeployment } from './service';

/** Where the cancelled step stood: the ECS deployment it leaves rolling out. */
export interface LeftRollingOut {
  region: string;
  cluster: string;
  service: string;
  deploymentId: string;
  /** What the deployment does, when the id does not say enough (e.g. "the rollback to web:3"). */
  purpose?: string;
  /** The service as the step last knew it, for the service deployment ARN and the circuit breaker. */
  known: Service;
  /** The CodeDeploy deployment, for a CODE_DEPLOY service: CodeDeploy, not ECS, runs it on. */
  codeDeployDeploymentId?: string;
}

/**
 * A cancelled job does not stop the deployment it started (stopping it half-way is a change nobody asked for):
 * say which one runs on, who decides its end, and how to follow it.
 */
export function leftRollingOutMessage(left: LeftRollingOut): string {
  if (left.codeDeployDeploymentId) {
    const id = left.codeDeployDeploymentId;
    return (
      `The workflow was cancelled while CodeDeploy deployment ${id} was under way in service ${left.service} (cluster ${left.cluster}); it was not stopped. ` +
      `CodeDeploy goes on with it on its own (its deployment group's auto-rollback settings decide what a failure does). ` +
      `Follow it with: aws deploy get-deployment --deployment-id ${id} --region ${left.region}, or deploy-ecs with codedeploy-deployment-id ${id}.`
    );
  }
  const arn = serviceDeploymentArn(left);
  const breaker = circuitBreakerOf(left.known);
  const decides = breaker.rollback
    ? 'ECS finishes it on its own, or its deployment circuit breaker rolls it back'
    : breaker.enable
      ? 'ECS finishes it on its own, or its deployment circuit breaker marks it failed (rollback is off)'
      : 'ECS goes on with it on its own (the service has no deployment circuit breaker: a crashing revision is retried until someone deploys again)';
  const consoleUrl = serviceDeploymentsLink(left.region, left.cluster, left.service);
  return (
    `The workflow was cancelled while ECS deployment ${left.deploymentId}${arn ? ` (service deployment ${arn})` : ''}${left.purpose ? `, ${left.purpose},` : ''} was rolling out in service ${left.service} (cluster ${left.cluster}); it was not stopped. ` +
    `${decides}. Follow it with: aws ecs describe-services --cluster ${left.cluster} --services ${left.service} --region ${left.region}.` +
    (consoleUrl ? ` Console: ${consoleUrl}` : '')
  );
}

/** For the Deployment's status: GitHub keeps 140 characters, so the deployment id comes first. */
export function leftRollingOutStatus(left: LeftRollingOut): string {
  if (left.codeDeployDeploymentId)
    return `Cancelled: the workflow was cancelled; CodeDeploy deployment ${left.codeDeployDeploymentId} was left under way`;
  return `Cancelled: the workflow was cancelled; ECS deployment ${left.deploymentId} was left rolling out`;
}

function serviceDeploymentArn(left: LeftRollingOut): string | undefined {
  // Only when the service's current service deployment is the one this step follows.
  return primaryDeployment(left.known)?.id === left.deploymentId ? left.known.currentServiceDeployment : undefined;
}
