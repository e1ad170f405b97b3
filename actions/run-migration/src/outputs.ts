import * as core from '@actions/core';
import type { MigrationOutputs } from '@ecs-deploy/core/use-cases';

/** Set as soon as each is known, so a later step sees the task even when this one fails. */
export function setMigrationOutputs(outputs: MigrationOutputs): void {
  if (outputs.taskDefinitionArn !== undefined) core.setOutput('task-definition-arn', outputs.taskDefinitionArn);
  if (outputs.taskArn !== undefined) core.setOutput('task-arn', outputs.taskArn);
  if (outputs.exitCode !== undefined) core.setOutput('exit-code', String(outputs.exitCode));
}
