import * as core from '@actions/core';
import type { RollbackOutputs } from '@ecs-deploy/core/use-cases';

export function setRollbackOutputs(outputs: RollbackOutputs): void {
  core.setOutput('rolled-back', String(outputs.rolledBack));
  core.setOutput('task-definition-arn', outputs.taskDefinitionArn);
  core.setOutput('duration-seconds', String(outputs.durationSeconds));
}
