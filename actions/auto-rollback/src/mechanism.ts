import { StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import {
  describeService,
  primaryDeployment,
  errorMessage,
  IN_PROGRESS_SERVICE_DEPLOYMENT,
  listStoppedTaskArns,
  poll,
  serviceDeploymentId,
  shortTaskDefinition,
  type DeploymentHistory,
  type Logger,
} from '@ecs-deploy/core';
import type { RollbackInputs } from './inputs';

export type Mechanism = 'StopServiceDeployment' | 'UpdateService';

export interface StartedRollback {
  mechanism: Mechanism;
  /** What was called, in words, for the log and the summary. */
  description: string;
  /** The ECS deployment (`ecs-svc/...`) that brings the target back: the one to watch. */
  deploymentId: string;
  startedAt: number;
  service: Service;
  /** The service's stopped tasks before the rollback deployment existed: none is its, so the watcher skips them. */
  stoppedBefore: string[];
}

/**
 * The fastest correct way back. While the release's service deployment is still in progress and ECS would
 * return to our target anyway (its last completed revision), StopServiceDeployment with ROLLBACK lets ECS do it
 * inside that deployment; otherwise UpdateService to the target starts an ordinary rolling deployment.
 */
export async function startRollback(
  ecs: ECSClient,
  inputs: RollbackInputs,
  targetArn: string,
  history: DeploymentHistory,
  log: Logger,
): Promise<StartedRollback> {
  const stoppedBefore = inputs.wait ? await listStoppedTaskArns(ecs, inputs.cluster, inputs.service) : [];
  const current = history.current;
  if (current?.serviceDeploymentArn && IN_PROGRESS_SERVICE_DEPLOYMENT.has(current.status ?? '') && history.previous?.taskDefinitionArn === targetArn) {
    const startedAt = Date.now();
    try {
      await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: current.serviceDeploymentArn, stopType: 'ROLLBACK' }));
      const service = await rollbackDeployment(ecs, inputs, targetArn);
      return {
        mechanism: 'StopServiceDeployment',
        description: `StopServiceDeployment (ROLLBACK) of service deployment ${serviceDeploymentId(current.serviceDeploymentArn)}, still in progress`,
        deploymentId: primaryOf(service, targetArn) as string,
        startedAt,
        service,
        stoppedBefore,
      };
    } catch (error) {
      // The release may have finished between our read and the call: then an ordinary update is the way back.
      if ((error as Error).name !== 'ConflictException' && (error as Error).name !== 'ServiceDeploymentNotFoundException') throw error;
      log.info(`ECS did not stop service deployment ${serviceDeploymentId(current.serviceDeploymentArn)} (${errorMessage(error)}); updating the service instead.`);
    }
  }
  const startedAt = Date.now();
  const answer = await ecs.send(
    new UpdateServiceCommand({ cluster: inputs.cluster, service: inputs.service, taskDefinition: targetArn, forceNewDeployment: false }),
  );
  const deploymentId = answer.service ? primaryOf(answer.service, targetArn) : undefined;
  if (!answer.service || !deploymentId) throw new Error(`UpdateService returned no primary deployment of ${shortTaskDefinition(targetArn)} to watch.`);
  return { mechanism: 'UpdateService', description: `UpdateService to ${shortTaskDefinition(targetArn)}`, deploymentId, startedAt, service: answer.service, stoppedBefore };
}

/** ECS starts the rollback deployment asynchronously after a stop request; wait briefly until it is listed. */
async function rollbackDeployment(ecs: ECSClient, inputs: RollbackInputs, targetArn: string): Promise<Service> {
  const result = await poll<Service>({
    intervalMs: 500,
    timeoutMs: 30_000,
    check: async () => {
      const service = await describeService(ecs, inputs.cluster, inputs.service, inputs.region);
      return primaryOf(service, targetArn) ? service : undefined;
    },
  });
  if (!result.done) throw new Error(`ECS accepted the rollback request but started no deployment of ${shortTaskDefinition(targetArn)} within 30s.`);
  return result.value;
}

export function primaryOf(service: Service, targetArn: string): string | undefined {
  return primaryDeployment(service, targetArn)?.id;
}
