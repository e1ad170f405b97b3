import { StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ActionFailure, taskId } from '../../common';
import { type LogLocation } from '../../logs';
import { taskLink } from '../../ecs';
import type { MigrationRequest } from './request';

/** A cancelled workflow must not kill a migration silently, nor leave it running unmentioned. */
export async function answerCancellation(
  ecs: ECSClient,
  inputs: MigrationRequest,
  taskArn: string,
  logLocation: LogLocation | undefined,
): Promise<never> {
  if (inputs.stopOnCancel) {
    await ecs.send(
      new StopTaskCommand({ cluster: inputs.cluster, task: taskArn, reason: 'run-migration: the workflow was cancelled (stop-on-cancel)' }),
    );
    throw new ActionFailure(
      `The workflow was cancelled; stop-on-cancel is true, so migration task ${taskId(taskArn)} was stopped (StopTask). Check the state of the schema before running it again.`,
    );
  }
  const follow = logLocation
    ? ` Follow its log with: aws logs tail ${logLocation.group} --log-stream-names ${logLocation.stream} --follow --region ${inputs.region}.`
    : '';
  throw new ActionFailure(
    `The workflow was cancelled, but migration task ${taskId(taskArn)} is still running in cluster ${inputs.cluster}: it was not stopped, since stopping a migration half-way can leave the schema half-changed (set stop-on-cancel: true to stop it). ` +
      `Watch it with: aws ecs describe-tasks --cluster ${inputs.cluster} --tasks ${taskArn} --region ${inputs.region}.${follow} Console: ${taskLink(inputs.region, inputs.cluster, taskArn)}`,
  );
}
