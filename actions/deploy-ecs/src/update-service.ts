import { UpdateServiceCommand, type Deployment, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { listStoppedTaskArns, primaryDeployment } from '@ecs-deploy/core/ecs';
import type { DeployInputs } from './inputs';

/** The deployment this step watches: the one its UpdateService started, or one of the same revision already under way. */
export interface StartedDeployment {
  deploymentId: string;
  /** When UpdateService created the deployment: events before it belong to earlier deploys. */
  startedAt: number;
  service: Service;
  /** IDs of the service events that belong to earlier deploys. */
  knownEventIds: string[];
  /** The service's stopped tasks before UpdateService: none can be the new deployment's, so the watcher skips them. */
  stoppedBefore: string[];
  /** Set when this step did not start the deployment: it was already rolling out this revision. */
  startedBefore?: Deployment;
}

/** Points the service at the revision and returns the deployment ECS started for it. */
export async function startDeployment(
  ecs: ECSClient,
  inputs: DeployInputs,
  taskDefinitionArn: string,
  forceNewDeployment: boolean,
): Promise<StartedDeployment> {
  const stoppedBefore = inputs.wait ? await listStoppedTaskArns(ecs, inputs.cluster, inputs.service) : [];
  const startedAt = Date.now();
  const answer = await ecs.send(
    new UpdateServiceCommand({
      cluster: inputs.cluster,
      service: inputs.service,
      taskDefinition: taskDefinitionArn,
      desiredCount: inputs.desiredCount,
      forceNewDeployment,
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
export function existingDeployment(service: Service, deployment: Deployment): StartedDeployment {
  const startedAt = deployment.createdAt ? new Date(deployment.createdAt).getTime() : Date.now();
  const knownEventIds = (service.events ?? [])
    .filter((event) => event.id && event.createdAt && new Date(event.createdAt).getTime() < startedAt)
    .map((event) => event.id as string);
  return { deploymentId: deployment.id as string, startedAt, service, knownEventIds, stoppedBefore: [], startedBefore: deployment };
}

/** A desired-count change alone needs no new deployment: ECS scales the current one. */
export async function applyDesiredCount(ecs: ECSClient, inputs: DeployInputs, currentCount: number | undefined, log: { info(message: string): void }): Promise<void> {
  if (inputs.desiredCount === undefined || inputs.desiredCount === currentCount) return;
  await ecs.send(new UpdateServiceCommand({ cluster: inputs.cluster, service: inputs.service, desiredCount: inputs.desiredCount }));
  log.info(`Task definition unchanged; desired count set from ${currentCount} to ${inputs.desiredCount} without a new deployment.`);
}
