import { UpdateServiceCommand, type Deployment, type Service } from '@aws-sdk/client-ecs';
import type { Clock } from '../../common/poll';
import { primaryDeployment } from '../../ecs/service';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import type { MechanismContext, StartedDeployment, StartRequest } from '../mechanism';

/** Points the service at the revision and returns the deployment ECS started for it. */
export async function startDeployment(request: StartRequest, { ecs, clock }: MechanismContext): Promise<StartedDeployment> {
  const stoppedBefore = request.watch ? await listStoppedTaskArns(ecs, request.cluster, request.service) : [];
  const startedAt = clock.now();
  const answer = await ecs.send(
    new UpdateServiceCommand({
      cluster: request.cluster,
      service: request.service,
      taskDefinition: request.taskDefinitionArn,
      desiredCount: request.desiredCount,
      forceNewDeployment: request.forceNewDeployment,
    }),
  );
  const service = answer.service;
  const primary = primaryDeployment(service);
  if (!service || !primary?.id) throw new Error('UpdateService returned no primary deployment to watch.');
  const knownEventIds = (service.events ?? []).map((event) => event.id as string);
  return { deploymentId: primary.id, startedAt, service, knownEventIds, stoppedBefore };
}

/**
 * A deployment of the revision that started before this step. Its stopped tasks so far are counted (no baseline):
 * they are the evidence of how it went, and the failed-tasks-threshold is about the deployment, not about this step.
 */
export function existingDeployment(service: Service, deployment: Deployment, clock: Clock): StartedDeployment {
  const startedAt = deployment.createdAt ? new Date(deployment.createdAt).getTime() : clock.now();
  const knownEventIds = (service.events ?? [])
    .filter((event) => event.id && event.createdAt && new Date(event.createdAt).getTime() < startedAt)
    .map((event) => event.id as string);
  return { deploymentId: deployment.id as string, startedAt, service, knownEventIds, stoppedBefore: [], startedBefore: deployment };
}
