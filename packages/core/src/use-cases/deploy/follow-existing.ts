import { DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { serviceDeploymentId } from '../../ecs/deployment-history';
import { servedBeforeServiceDeployment } from '../../ecs/served-before';
import type { ServingRevision } from '../../ecs/serving-revision';
import type { StartedDeployment } from '../../deployment/mechanism';
import { followCodeDeployDeployment } from '../../deployment/codedeploy/follow';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { DeployRequest } from './request';

/**
 * The service deployment service-deployment-arn names, to follow as if this step had started it: it must exist and
 * be the service's, and its target revision's task definition is what the step reports as deployed. Its events
 * so far belong to it but are not new: the watch streams only those that come after.
 */
export async function existingServiceDeployment(
  ecs: ECSClient,
  request: DeployRequest,
  service: Service,
  clock: Clock,
  log: Logger,
): Promise<FollowedDeployment> {
  const arn = request.serviceDeploymentArn as string;
  const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const sd = answer.serviceDeployments?.find((found) => found.serviceDeploymentArn === arn);
  if (!sd) {
    throw new ConfigurationError(
      `Input 'service-deployment-arn': ECS does not know service deployment ${serviceDeploymentId(arn)} (${answer.failures?.[0]?.reason ?? 'MISSING'}); ECS keeps service deployments for 90 days. Give deploy-ecs's service-deployment-arn output of the run that started it.`,
      'service-deployment-arn',
    );
  }
  if (sd.serviceArn && service.serviceArn && sd.serviceArn !== service.serviceArn) {
    throw new ConfigurationError(
      `Input 'service-deployment-arn': service deployment ${serviceDeploymentId(arn)} is of service ${sd.serviceArn}, not of ${service.serviceArn}. Give the service it deploys.`,
      'service-deployment-arn',
    );
  }
  const revisionArn = sd.targetServiceRevision?.arn;
  const revisions = revisionArn
    ? await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }))
    : { serviceRevisions: [] };
  const taskDefinitionArn = revisions.serviceRevisions?.[0]?.taskDefinition;
  if (!taskDefinitionArn) throw new Error(`Service deployment ${serviceDeploymentId(arn)} names no target revision to follow.`);
  const ours = service.deployments?.find((d) => d.taskDefinition === taskDefinitionArn);
  log.info(
    `Following service deployment ${serviceDeploymentId(arn)} of ${shortTaskDefinition(taskDefinitionArn)} (${sd.status}, ${sd.lifecycleStage ?? 'no stage yet'}); nothing is started.`,
  );
  return {
    taskDefinitionArn,
    previous: await servedBeforeServiceDeployment(ecs, { cluster: request.cluster, serviceDeploymentArn: arn }, service, log),
    started: {
      deploymentId: ours?.id ?? '',
      startedAt: clock.now(),
      service,
      knownEventIds: (service.events ?? []).map((event) => event.id as string),
      stoppedBefore: [],
      serviceDeploymentArn: arn,
    },
  };
}

/** A deployment that exists, to follow instead of starting one: what it deploys, and what was serving before it when known. */
export interface FollowedDeployment {
  started: StartedDeployment;
  taskDefinitionArn: string;
  /** What served before it (previous-task-definition-arn), or why that is not known; never the revision it deploys. */
  previous: ServingRevision;
}

/**
 * The deployment service-deployment-arn or codedeploy-deployment-id names (the pre-flight checks let only the one
 * that fits the service's controller through), or undefined when the step is to start one.
 */
export async function existingDeployment(
  clients: { ecs: ECSClient; codedeploy?: CodeDeployClient },
  request: DeployRequest,
  service: Service,
  ports: { clock: Clock; log: Logger },
): Promise<FollowedDeployment | undefined> {
  if (request.codeDeployDeploymentId) {
    if (!clients.codedeploy) throw new Error('codedeploy-deployment-id needs a CodeDeploy client.');
    const deploymentId = request.codeDeployDeploymentId;
    return followCodeDeployDeployment(
      clients.codedeploy,
      { cluster: request.cluster, service: request.service, deploymentId },
      service,
      ports,
    );
  }
  if (request.serviceDeploymentArn) return existingServiceDeployment(clients.ecs, request, service, ports.clock, ports.log);
  return undefined;
}
