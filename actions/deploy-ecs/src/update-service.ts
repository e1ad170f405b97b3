import { UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { listStoppedTaskArns, primaryDeployment } from '@ecs-deploy/core';
import type { DeployInputs } from './inputs';

export interface StartedDeployment {
  deploymentId: string;
  startedAt: number;
  service: Service;
  /** The service's stopped tasks before UpdateService: none can be the new deployment's, so the watcher skips them. */
  stoppedBefore: string[];
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
  return { deploymentId: primary.id, startedAt, service, stoppedBefore };
}
