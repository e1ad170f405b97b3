import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { Logger } from '../../common/logger';
import type { DeployRequest } from './request';

/** A desired-count change alone needs no new deployment: ECS scales the current one. */
export async function applyDesiredCount(
  ecs: ECSClient,
  inputs: DeployRequest,
  currentCount: number | undefined,
  log: Logger,
): Promise<void> {
  if (inputs.desiredCount === undefined || inputs.desiredCount === currentCount) return;
  await ecs.send(new UpdateServiceCommand({ cluster: inputs.cluster, service: inputs.service, desiredCount: inputs.desiredCount }));
  log.info(`Task definition unchanged; desired count set from ${currentCount} to ${inputs.desiredCount} without a new deployment.`);
}
