import { DescribeServicesCommand, UpdateServiceCommand, type Deployment, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { retryingThrottlesOnly } from '../../common/aws';
import type { Clock } from '../../common/poll';
import { retryTransient } from '../../common/retry';
import { primaryDeployment } from '../../ecs/service';
import { epochMs } from '../../ecs/times';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import type { MechanismContext, StartedDeployment, StartRequest } from '../mechanism';

/** Attempts at UpdateService in all when it fails transiently; the first retry comes about 2 s later. */
export const UPDATE_SERVICE_ATTEMPTS = 4;
const UPDATE_SERVICE_RETRY_BASE_MS = 2_000;

/**
 * How much earlier than the runner's clock ECS may date a deployment the failed attempt created: the two clocks
 * differ a little. A deployment of the revision older than this is an earlier deploy's, not the failed attempt's.
 */
const CLOCK_SKEW_MS = 5_000;

/**
 * Points the service at the revision and returns the deployment ECS started for it. A throttled or failed
 * UpdateService is tried again (retryTransient, each retry logged), but first the service is read: when the failed
 * attempt took effect after all (its answer was lost), the primary deployment of the revision created since is taken
 * rather than starting another one.
 */
export async function startDeployment(request: StartRequest, { ecs, clock, log, signal }: MechanismContext): Promise<StartedDeployment> {
  const stoppedBefore = request.watch ? await listStoppedTaskArns(ecs, request.cluster, request.service) : [];
  const startedAt = clock.now();
  const started = await retryTransient(
    async (attempt) => {
      const meanwhile = attempt > 1 ? await deploymentStartedMeanwhile(ecs, request, request.taskDefinitionArn, startedAt) : undefined;
      if (meanwhile) {
        log.info(
          `UpdateService of ${request.service} had taken effect: deployment ${meanwhile.deployment.id} of the revision was created since.`,
        );
        return { service: meanwhile.service, before: epochMs(meanwhile.deployment.createdAt) };
      }
      const answer = await ecs.send(
        retryingThrottlesOnly(
          new UpdateServiceCommand({
            cluster: request.cluster,
            service: request.service,
            taskDefinition: request.taskDefinitionArn,
            desiredCount: request.desiredCount,
            ...request.settings,
            forceNewDeployment: request.forceNewDeployment,
          }),
          { signal },
        ),
      );
      return { service: answer.service, before: Number.POSITIVE_INFINITY };
    },
    {
      attempts: UPDATE_SERVICE_ATTEMPTS,
      baseDelayMs: UPDATE_SERVICE_RETRY_BASE_MS,
      label: `UpdateService of ${request.service}`,
      log,
      clock,
      signal,
    },
  );
  const { service } = started;
  const primary = primaryDeployment(service);
  if (!service || !primary?.id) throw new Error('UpdateService returned no primary deployment to watch.');
  // UpdateService's own answer holds only earlier deploys' events; a service read later may hold ours too.
  const knownEventIds = (service.events ?? [])
    .filter((event) => epochMs(event.createdAt) < started.before)
    .map((event) => event.id as string);
  return { deploymentId: primary.id, startedAt, service, knownEventIds, stoppedBefore };
}

/**
 * The service's primary deployment of the revision, when it was created after `since` (give or take the clocks): what
 * an UpdateService whose answer was lost started. Read before each retry of one, by deploy and by rollback.
 */
export async function deploymentStartedMeanwhile(
  ecs: ECSClient,
  place: { cluster: string; service: string },
  taskDefinitionArn: string,
  since: number,
): Promise<{ service: Service; deployment: Deployment } | undefined> {
  const answer = await ecs.send(new DescribeServicesCommand({ cluster: place.cluster, services: [place.service] }));
  const service = answer.services?.[0];
  const deployment = primaryDeployment(service, taskDefinitionArn);
  if (!service || !deployment?.id || epochMs(deployment.createdAt) < since - CLOCK_SKEW_MS) return undefined;
  return { service, deployment };
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
