import { UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import type { DeployInputs } from './inputs';

export interface StartedDeployment {
  deploymentId: string;
  startedAt: number;
  service: Service;
}

/** Points the service at the revision and returns the deployment ECS started for it. */
export async function startDeployment(
  ecs: ECSClient,
  inputs: DeployInputs,
  taskDefinitionArn: string,
  forceNewDeployment: boolean,
): Promise<StartedDeployment> {
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
  const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
  if (!service || !primary?.id) throw new Error('UpdateService returned no primary deployment to watch.');
  return { deploymentId: primary.id, startedAt, service };
}
