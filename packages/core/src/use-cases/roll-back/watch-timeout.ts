import { formatDuration } from '../../common/duration';
import type { Logger } from '../../common/logger';
import type { StartedRollback } from '../../deployment/mechanism';

/** The calls that start a new deployment of the target, which runs through the service's strategy or deployment configuration again. */
const NEW_DEPLOYMENT: ReadonlySet<string> = new Set(['UpdateService', 'CreateDeployment']);

/**
 * How long auto-rollback watches the deployment it started. A rollback within the release (a traffic shift back,
 * ECS's own rollback) takes seconds. A new deployment of the target, once the release has finished, runs through
 * the service's strategy again, bake included: without a timeout input the watch grows by that bake, as deploy-ecs's
 * does, so a rollback that is only baking is not reported failed. A timeout given shorter than the bake is kept, as
 * asked, but said before the watch: the rollback will be reported failed while ECS still bakes it. A CodeDeploy
 * deployment's waits are its traffic shift and termination wait (the mechanism's bakeMs).
 */

export function rollbackWatchTimeout(
  request: { timeoutMs: number; timeoutGiven?: boolean },
  started: Pick<StartedRollback, 'mechanism'>,
  bakeMs: number,
  log: Logger,
): number {
  if (!NEW_DEPLOYMENT.has(started.mechanism) || bakeMs === 0) return request.timeoutMs;
  const waits = started.mechanism === 'CreateDeployment' ? "the deployment's traffic shift and termination wait" : "the strategy's bake";
  if (!request.timeoutGiven) {
    log.info(
      `Watching the rollback for up to ${formatDuration(request.timeoutMs + bakeMs)}: ${formatDuration(request.timeoutMs)} plus ${waits} of ${formatDuration(bakeMs)}.`,
    );
    return request.timeoutMs + bakeMs;
  }
  if (request.timeoutMs < bakeMs) {
    log.warning(
      started.mechanism === 'CreateDeployment'
        ? `Input 'timeout' (${formatDuration(request.timeoutMs)}) is shorter than the traffic shift and termination wait of the rollback's new deployment (${formatDuration(bakeMs)}): the watch will end, and the step fail, while CodeDeploy still runs the rollback. Leave 'timeout' unset to watch through them.`
        : `Input 'timeout' (${formatDuration(request.timeoutMs)}) is shorter than the bake of the rollback's new deployment (${formatDuration(bakeMs)}): the watch will end, and the step fail, while ECS still bakes the rollback. Leave 'timeout' unset to watch through the bake.`,
    );
  }
  return request.timeoutMs;
}
