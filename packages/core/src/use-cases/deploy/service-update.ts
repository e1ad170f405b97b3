import { UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { retryingThrottlesOnly } from '../../common/aws';
import type { CancellationSignal } from '../../common/cancellation';
import type { Logger } from '../../common/logger';
import { keptByRunningTasksNotice, settingChangeLines, settingFields, type SettingChange } from '../../ecs/service-settings';
import type { DeployRequest } from './request';

/**
 * When the service already runs the revision: the desired count and the service settings the step changes, in one
 * UpdateService without a task definition and without forceNewDeployment. None of them starts a deployment
 * (UpdateService, API reference: desiredCount, enableExecuteCommand, propagateTags, enableECSManagedTags and
 * healthCheckGracePeriodSeconds each "doesn't trigger a new service deployment"); ECS scales the current one. Nothing
 * is sent when nothing differs. Returns the service as UpdateService answered it, when it was called.
 */
export async function applyServiceUpdate(
  ecs: ECSClient,
  request: Pick<DeployRequest, 'cluster' | 'service' | 'desiredCount'>,
  service: Service,
  settings: readonly SettingChange[],
  { log, signal }: { log: Logger; signal?: CancellationSignal },
): Promise<Service | undefined> {
  const count = request.desiredCount !== undefined && request.desiredCount !== service.desiredCount ? request.desiredCount : undefined;
  if (count === undefined && !settings.length) return undefined;
  const answer = await ecs.send(
    retryingThrottlesOnly(
      new UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        ...(count !== undefined ? { desiredCount: count } : {}),
        ...settingFields(settings),
      }),
      { signal },
    ),
  );
  if (count !== undefined)
    log.info(`Task definition unchanged; desired count set from ${service.desiredCount} to ${count} without a new deployment.`);
  if (settings.length) {
    log.info(`Task definition unchanged; service settings set without a new deployment: ${settingChangeLines(settings).join(', ')}.`);
    const notice = keptByRunningTasksNotice(settings);
    if (notice) log.warning(notice);
  }
  return answer.service;
}
