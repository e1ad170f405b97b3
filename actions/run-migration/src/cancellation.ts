import { StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ActionFailure, taskId } from '@ecs-deploy/core/common';
import { type LogLocation } from '@ecs-deploy/core/logs';
import { taskLink } from '@ecs-deploy/core/ecs';
import type { MigrationInputs } from './inputs';

/**
 * The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Both signals abort the
 * returned signal instead of ending the process, so the step can say what still runs before it ends.
 */
export function abortOnCancel(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

/** A cancelled workflow must not kill a migration silently, nor leave it running unmentioned. */
export async function answerCancellation(ecs: ECSClient, inputs: MigrationInputs, taskArn: string, logLocation: LogLocation | undefined): Promise<never> {
  if (inputs.stopOnCancel) {
    await ecs.send(new StopTaskCommand({ cluster: inputs.cluster, task: taskArn, reason: 'run-migration: the workflow was cancelled (stop-on-cancel)' }));
    throw new ActionFailure(`The workflow was cancelled; stop-on-cancel is true, so migration task ${taskId(taskArn)} was stopped (StopTask). Check the state of the schema before running it again.`);
  }
  const follow = logLocation ? ` Follow its log with: aws logs tail ${logLocation.group} --log-stream-names ${logLocation.stream} --follow --region ${inputs.region}.` : '';
  throw new ActionFailure(
    `The workflow was cancelled, but migration task ${taskId(taskArn)} is still running in cluster ${inputs.cluster}: it was not stopped, since stopping a migration half-way can leave the schema half-changed (set stop-on-cancel: true to stop it). ` +
      `Watch it with: aws ecs describe-tasks --cluster ${inputs.cluster} --tasks ${taskArn} --region ${inputs.region}.${follow} Console: ${taskLink(inputs.region, inputs.cluster, taskArn)}`,
  );
}
