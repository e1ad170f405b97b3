import { circuitBreakerOf } from '../../ecs/circuit-breaker';
import { watchRollout } from '../../ecs/watch';
import { ecsServingRevision, ecsUnchanged } from '../ecs-standing';
import type { DeploymentMechanism } from '../mechanism';
import { startRollback } from './roll-back';
import { existingDeployment, startDeployment } from './start';

/**
 * Rolling updates (the ECS controller, ROLLING strategy): UpdateService starts a deployment, the rolling watcher
 * (judgeRollout, stopped-task tracking, the circuit breaker) follows it, and a rollback stops the release's service
 * deployment or updates the service back.
 */
export const rollingMechanism: DeploymentMechanism = {
  kind: 'rolling update',
  // No stages: a rolling update is baked when it is complete, and has no hook to pause at.
  waitTargets: ['complete', 'bake'],
  bakeTimeMs: () => 0,
  // A rolling update needs nothing beyond what every deploy checks.
  preflightChecks: () => [],
  start: startDeployment,
  judgeUnchanged: ecsUnchanged(existingDeployment),
  servingRevision: ecsServingRevision,
  watch: (deployment, settings, { ecs, log, clock, signal, serviceReads }) =>
    watchRollout(
      {
        cluster: settings.cluster,
        service: settings.service,
        startedAt: deployment.startedAt,
        knownEventIds: deployment.knownEventIds,
        stoppedBefore: deployment.stoppedBefore,
        startedWith: deployment.service,
        timeoutMs: settings.timeoutMs,
        target: {
          deploymentId: deployment.deploymentId,
          circuitBreaker: circuitBreakerOf(deployment.service),
          failedTasksThreshold: settings.failedTasksThreshold,
        },
      },
      { ecs, log, clock, signal, serviceReads },
    ),
  rollBack: startRollback,
};
