import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import { describeTaskDefinition } from '../../task-definition/register';
import { containerSecretValues } from '../../task-definition/secret-values';
import { gatherLogTail } from '../../ecs/diagnosis';
import type { RolloutReport } from '../../ecs/rollout-report';
import type { WatchOutcome } from '../../ecs/watch-loop';
import type { DeploymentMechanism, MechanismContext } from '../../deployment/mechanism';
import type { RollBackServiceRequest } from './request';

// Without a circuit breaker, deploy-ecs's default: this many crashed tasks of the target mean it is not coming back.
const FAILED_TASKS_THRESHOLD = 3;

export interface WatchedDeployment {
  deploymentId: string;
  startedAt: number;
  /** The service as it was before the rollback: its events belong to what came before. */
  before: Service;
  /** Stopped task ARNs listed before the deployment was created (none when watching one that already ran). */
  stoppedBefore?: string[];
  /** The service deployment to follow, for a mechanism that follows service deployments. */
  serviceDeploymentArn?: string;
  /** `rollback` when the deployment is being rolled back within itself: its ROLLBACK_SUCCESSFUL is the success. */
  expect?: 'release' | 'rollback';
}

/** The same watcher deploy-ecs uses, pointed at the deployment that brings the target back. */
export function watchRollback(
  mechanism: DeploymentMechanism,
  request: RollBackServiceRequest,
  watched: WatchedDeployment,
  context: MechanismContext,
): Promise<WatchOutcome> {
  return mechanism.watch(
    {
      deploymentId: watched.deploymentId,
      startedAt: watched.startedAt,
      service: watched.before,
      knownEventIds: (watched.before.events ?? []).map((event) => event.id as string),
      stoppedBefore: watched.stoppedBefore,
      ...(watched.serviceDeploymentArn ? { serviceDeploymentArn: watched.serviceDeploymentArn } : {}),
      ...(watched.expect ? { expect: watched.expect } : {}),
    },
    { cluster: request.cluster, service: request.service, timeoutMs: request.timeoutMs, failedTasksThreshold: FAILED_TASKS_THRESHOLD },
    context,
  );
}

/** deploy-ecs's report of a failed rollout, with the crashed container's last log lines, for the failed rollback. */
export async function failedRollbackReport(
  ecs: ECSClient,
  logs: CloudWatchLogsClient,
  request: RollBackServiceRequest,
  watched: WatchedDeployment & { fromArn?: string; targetArn: string; outcome: WatchOutcome },
  { log, setSecret }: { log: Logger; setSecret(value: string): void },
): Promise<RolloutReport> {
  const containers = (await describeTaskDefinition(ecs, watched.targetArn)).definition.containerDefinitions ?? [];
  // Before quoting the crashed container: the target revision may carry credentials (its DATABASE_URL) that no
  // input of this step named.
  for (const value of containerSecretValues(containers)) setSecret(value);
  return {
    title: `Deployment of ${shortTaskDefinition(watched.targetArn)} (the rollback)`,
    region: request.region,
    cluster: request.cluster,
    service: request.service,
    previousTaskDefinitionArn: watched.fromArn,
    taskDefinitionArn: watched.targetArn,
    deploymentId: watched.deploymentId,
    startedAt: watched.startedAt,
    timeoutMs: request.timeoutMs,
    changes: [],
    outcome: watched.outcome,
    containers,
    logTail: await gatherLogTail(watched.outcome.failedTasks, containers, logs, log),
  };
}
