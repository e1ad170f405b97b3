import * as core from '@actions/core';

/** Set as soon as each is known, so a later step sees the task even when this one fails. */
export function setMigrationOutputs(outputs: { taskDefinitionArn?: string; taskArn?: string; exitCode?: number }): void {
  if (outputs.taskDefinitionArn !== undefined) core.setOutput('task-definition-arn', outputs.taskDefinitionArn);
  if (outputs.taskArn !== undefined) core.setOutput('task-arn', outputs.taskArn);
  if (outputs.exitCode !== undefined) core.setOutput('exit-code', String(outputs.exitCode));
}
