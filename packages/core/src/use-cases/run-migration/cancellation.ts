import type { ECSClient } from '@aws-sdk/client-ecs';
import { ActionFailure, taskId, type Clock, type Logger } from '../../common';
import { type LogLocation } from '../../logs';
import { taskLink } from '../../ecs';
import type { MigrationRequest } from './request';
import { stopMigrationTask } from './stop-task';

/**
 * How a stop-on-cancel StopTask is tried again: quickly, since a cancelled step should end within 3 s; each
 * attempt has the SDK's own retries inside, so these are for a throttle that outlasts them.
 */
const CANCEL_STOP_ATTEMPTS = 3;
const CANCEL_STOP_RETRY_BASE_MS = 300;

/** A cancelled workflow must not kill a migration silently, nor leave it running unmentioned. */
export async function answerCancellation(
  ecs: ECSClient,
  inputs: MigrationRequest,
  taskArn: string,
  logLocation: LogLocation | undefined,
  ports: { log: Logger; clock?: Clock },
): Promise<never> {
  if (inputs.stopOnCancel) {
    // No signal: the cancellation is what asks for this call.
    await stopMigrationTask(
      ecs,
      { cluster: inputs.cluster, taskArn, reason: 'run-migration: the workflow was cancelled (stop-on-cancel)' },
      { ...ports, attempts: CANCEL_STOP_ATTEMPTS, baseDelayMs: CANCEL_STOP_RETRY_BASE_MS },
    );
    throw new ActionFailure(
      `The workflow was cancelled; stop-on-cancel is true, so migration task ${taskId(taskArn)} was stopped (StopTask). Check the state of the schema before running it again.`,
    );
  }
  const follow = logLocation
    ? ` Follow its log with: aws logs tail ${logLocation.group} --log-stream-names ${logLocation.stream} --follow --region ${inputs.region}.`
    : '';
  const consoleUrl = taskLink(inputs.region, inputs.cluster, taskArn);
  throw new ActionFailure(
    `The workflow was cancelled, but migration task ${taskId(taskArn)} is still running in cluster ${inputs.cluster}: it was not stopped, since stopping a migration half-way can leave the schema half-changed (set stop-on-cancel: true to stop it). ` +
      `Watch it with: aws ecs describe-tasks --cluster ${inputs.cluster} --tasks ${taskArn} --region ${inputs.region}.${follow}${consoleUrl ? ` Console: ${consoleUrl}` : ''}`,
  );
}
