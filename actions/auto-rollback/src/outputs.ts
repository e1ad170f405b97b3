import * as core from '@actions/core';
import type { RollbackOutputs, ServiceRollbackOutput } from '@ecs-deploy/core/use-cases';

export function setRollbackOutputs(outputs: RollbackOutputs): void {
  core.setOutput('rolled-back', String(outputs.rolledBack));
  core.setOutput('task-definition-arn', outputs.taskDefinitionArn);
  core.setOutput('duration-seconds', String(outputs.durationSeconds));
}

/** With several services: the 'services' output only; the scalar outputs would describe one service of many. */
export function setSeveralRollbackOutputs(outputs: ServiceRollbackOutput[]): void {
  core.setOutput(
    'services',
    JSON.stringify(
      outputs.map((one) => ({
        cluster: one.cluster,
        service: one.service,
        'rolled-back': one.rolledBack,
        'task-definition-arn': one.taskDefinitionArn,
        'duration-seconds': one.durationSeconds,
        reason: one.reason,
      })),
    ),
  );
}
