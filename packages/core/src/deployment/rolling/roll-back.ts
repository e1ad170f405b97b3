import { UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { formatDuration } from '../../common/duration';
import { retryingThrottlesOnly } from '../../common/aws';
import { isTransientAwsError, retryTransient, type RetryContext } from '../../common/retry';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import { poll, type Clock } from '../../common/poll';
import { IN_PROGRESS_SERVICE_DEPLOYMENT, serviceDeploymentId, type DeploymentHistory } from '../../ecs/deployment-history';
import { describeService, primaryDeployment } from '../../ecs/service';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import type { MechanismContext, RollBackRequest, StartedRollback } from '../mechanism';
import { deploymentStartedMeanwhile } from './start';
import { requestEcsRollback, serviceDeploymentRollingBack } from '../stop-rollback';

export type Mechanism = 'StopServiceDeployment' | 'UpdateService';

/** Where the service is, and how long the step may take. */
type Place = Pick<RollBackRequest, 'region' | 'cluster' | 'service' | 'timeoutMs'>;

/**
 * The fastest correct way back. While the release's service deployment is still in progress and ECS would return
 * to our target anyway, StopServiceDeployment with ROLLBACK lets ECS do it inside that deployment; otherwise (or
 * when ECS refuses the stop and is not rolling back) UpdateService to the target starts an ordinary rolling
 * deployment.
 */
export async function startRollback(
  request: RollBackRequest,
  { ecs, log, clock, signal }: MechanismContext,
): Promise<StartedRollback & { mechanism: Mechanism }> {
  const { targetArn, history } = request;
  const stoppedBefore = request.wait ? await listStoppedTaskArns(ecs, request.cluster, request.service) : [];
  const stoppable = stoppableDeployment(history, targetArn, log);
  if (stoppable) {
    const startedAt = clock.now();
    const rollingBack = () => rollbackUnderWay(ecs, request, stoppable, targetArn);
    const answer = await requestEcsRollback(ecs, stoppable, rollingBack, { log, clock, signal });
    if (answer.applied) {
      const service = await rollbackDeployment(ecs, request, targetArn, log, clock);
      const despite = answer.despite ? ` (ECS answered ${answer.despite}, but the rollback was under way)` : '';
      return {
        mechanism: 'StopServiceDeployment',
        description: `StopServiceDeployment (ROLLBACK) of service deployment ${serviceDeploymentId(stoppable)}, still in progress${despite}`,
        deploymentId: primaryOf(service, targetArn) as string,
        startedAt,
        service,
        stoppedBefore,
      };
    }
  }
  const startedAt = clock.now();
  const service = await updateServiceTo(ecs, request, startedAt, { log, clock, signal });
  const deploymentId = service ? primaryOf(service, targetArn) : undefined;
  if (!service || !deploymentId)
    throw new Error(`UpdateService returned no primary deployment of ${shortTaskDefinition(targetArn)} to watch.`);
  return {
    mechanism: 'UpdateService',
    description: `UpdateService to ${shortTaskDefinition(targetArn)}`,
    deploymentId,
    startedAt,
    service,
    stoppedBefore,
  };
}

/** Attempts at the rollback's UpdateService in all when it fails transiently; the first retry comes about 2 s later. */
export const ROLLBACK_UPDATE_ATTEMPTS = 4;
const ROLLBACK_UPDATE_RETRY_BASE_MS = 2_000;

/**
 * UpdateService to the target, retried as deploy's start is (retryTransient, each retry logged): before a retry the
 * service is read, and when the failed attempt took effect after all (a dropped connection, a 5xx after the change),
 * the deployment of the target it started is adopted instead of asking for another.
 */
export async function updateServiceTo(
  ecs: ECSClient,
  request: RollBackRequest,
  startedAt: number,
  retry: RetryContext,
): Promise<Service | undefined> {
  const { targetArn } = request;
  return retryTransient(
    async (attempt) => {
      const meanwhile = attempt > 1 ? await deploymentStartedMeanwhile(ecs, request, targetArn, startedAt) : undefined;
      if (meanwhile) {
        retry.log.info(
          `UpdateService of ${request.service} to ${shortTaskDefinition(targetArn)} had taken effect: deployment ${meanwhile.deployment.id} was created since.`,
        );
        return meanwhile.service;
      }
      const answer = await ecs.send(
        retryingThrottlesOnly(
          new UpdateServiceCommand({
            cluster: request.cluster,
            service: request.service,
            taskDefinition: targetArn,
            forceNewDeployment: false,
          }),
          { signal: retry.signal },
        ),
      );
      return answer.service;
    },
    {
      attempts: ROLLBACK_UPDATE_ATTEMPTS,
      baseDelayMs: ROLLBACK_UPDATE_RETRY_BASE_MS,
      label: `UpdateService of ${request.service} to ${shortTaskDefinition(targetArn)}`,
      ...retry,
    },
  );
}

/**
 * The release's service deployment, when stopping it with ROLLBACK brings back exactly the target. ECS's rollback
 * returns to the last service revision that completed (developer guide, "Amazon ECS service revisions": "Amazon ECS
 * uses the last successful service revision for the rollback"), which is not always the target: a forced redeploy
 * of the target itself, or a target named by the input.
 */
export function stoppableDeployment(history: DeploymentHistory, targetArn: string, log: Logger): string | undefined {
  const current = history.current;
  if (!current?.serviceDeploymentArn || !IN_PROGRESS_SERVICE_DEPLOYMENT.has(current.status ?? '')) return undefined;
  const ecsWouldReturnTo = history.lastCompleted?.taskDefinitionArn;
  if (ecsWouldReturnTo === targetArn) return current.serviceDeploymentArn;
  const returnTo = ecsWouldReturnTo
    ? `would return to ${shortTaskDefinition(ecsWouldReturnTo)}`
    : 'has no completed revision in its history to return to';
  log.info(
    `Service deployment ${serviceDeploymentId(current.serviceDeploymentArn)} is still in progress, but ECS's own rollback ${returnTo}, ` +
      `not to ${shortTaskDefinition(targetArn)}: updating the service instead.`,
  );
  return undefined;
}

/** Why the stop counts as applied even though the call failed, or undefined when it does not. */
async function rollbackUnderWay(
  ecs: ECSClient,
  place: Place,
  serviceDeploymentArn: string,
  targetArn: string,
): Promise<string | undefined> {
  const status = await serviceDeploymentRollingBack(ecs, serviceDeploymentArn);
  if (status) return `service deployment ${serviceDeploymentId(serviceDeploymentArn)} is ${status}`;
  const service = await describeService(ecs, place.cluster, place.service, place.region).catch(() => undefined);
  if (service && primaryOf(service, targetArn)) return `the service's primary deployment is already of ${shortTaskDefinition(targetArn)}`;
  return undefined;
}

/**
 * ECS starts the rollback deployment asynchronously after a stop request, and a rollback requested by someone else
 * may still be queued: wait until it is listed, for as long as the step may take (a rollback is minutes on AWS).
 */
export async function rollbackDeployment(ecs: ECSClient, place: Place, targetArn: string, log: Logger, clock: Clock): Promise<Service> {
  let said = false;
  const result = await poll<Service>({
    intervalMs: 1_000,
    timeoutMs: place.timeoutMs,
    clock,
    check: async () => {
      // A poll is its own retry: a throttled or failed read skips a round.
      const service = await describeService(ecs, place.cluster, place.service, place.region).catch((error: unknown) => {
        if (isTransientAwsError(error)) return undefined;
        throw error;
      });
      if (service && primaryOf(service, targetArn)) return service;
      if (!said)
        log.info(
          `Waiting for ECS to start the deployment that rolls back to ${shortTaskDefinition(targetArn)} (up to ${formatDuration(place.timeoutMs)}).`,
        );
      said = true;
      return undefined;
    },
  });
  if (!result.done) {
    throw new Error(
      `ECS accepted the rollback but started no deployment of ${shortTaskDefinition(targetArn)} within ${formatDuration(place.timeoutMs)}; look at the service deployment in the console.`,
    );
  }
  return result.value;
}

export function primaryOf(service: Service, targetArn: string): string | undefined {
  return primaryDeployment(service, targetArn)?.id;
}
