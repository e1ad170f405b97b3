import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { createClient, shortTaskDefinition, systemClock, type Logger } from '@ecs-deploy/core/common';
import { describeTaskDefinition } from '@ecs-deploy/core/task-definition';
import { gatherLogTail, type RolloutReport, type WatchOutcome } from '@ecs-deploy/core/ecs';
import type { DeploymentMechanism } from '@ecs-deploy/core/deployment';
import type { RollbackInputs } from './inputs';

// Without a circuit breaker, deploy-ecs's default: this many crashed tasks of the target mean it is not coming back.
const FAILED_TASKS_THRESHOLD = 3;

export interface WatchedDeployment {
  deploymentId: string;
  startedAt: number;
  /** The service as it was before the rollback: its events belong to what came before. */
  before: Service;
  /** Stopped task ARNs listed before the deployment was created (none when watching one that already ran). */
  stoppedBefore?: string[];
}

/** The same watcher deploy-ecs uses, pointed at the deployment that brings the target back. */
export function watchRollback(mechanism: DeploymentMechanism, ecs: ECSClient, inputs: RollbackInputs, watched: WatchedDeployment, log: Logger): Promise<WatchOutcome> {
  return mechanism.watch(
    {
      deploymentId: watched.deploymentId,
      startedAt: watched.startedAt,
      service: watched.before,
      knownEventIds: (watched.before.events ?? []).map((event) => event.id as string),
      stoppedBefore: watched.stoppedBefore,
    },
    { cluster: inputs.cluster, service: inputs.service, timeoutMs: inputs.timeoutMs, failedTasksThreshold: FAILED_TASKS_THRESHOLD },
    { ecs, log, clock: systemClock },
  );
}

/** deploy-ecs's report of a failed rollout, with the crashed container's last log lines, for the failed rollback. */
export async function failedRollbackReport(
  ecs: ECSClient,
  inputs: RollbackInputs,
  watched: WatchedDeployment & { fromArn?: string; targetArn: string; outcome: WatchOutcome },
  log: Logger,
): Promise<RolloutReport> {
  const containers = (await describeTaskDefinition(ecs, watched.targetArn)).definition.containerDefinitions ?? [];
  const logs = createClient(CloudWatchLogsClient, { region: inputs.region, action: 'auto-rollback' });
  return {
    title: `Deployment of ${shortTaskDefinition(watched.targetArn)} (the rollback)`,
    region: inputs.region,
    cluster: inputs.cluster,
    service: inputs.service,
    previousTaskDefinitionArn: watched.fromArn,
    taskDefinitionArn: watched.targetArn,
    deploymentId: watched.deploymentId,
    startedAt: watched.startedAt,
    timeoutMs: inputs.timeoutMs,
    changes: [],
    outcome: watched.outcome,
    containers,
    logTail: await gatherLogTail(watched.outcome.failedTasks, containers, logs, log),
  };
}
