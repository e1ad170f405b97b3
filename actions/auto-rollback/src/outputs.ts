import * as core from '@actions/core';

export interface RollbackOutputs {
  rolledBack: boolean;
  taskDefinitionArn: string;
  durationSeconds: number;
}

export function setRollbackOutputs(outputs: RollbackOutputs): void {
  core.setOutput('rolled-back', String(outputs.rolledBack));
  core.setOutput('task-definition-arn', outputs.taskDefinitionArn);
  core.setOutput('duration-seconds', String(outputs.durationSeconds));
}

/** Tenths of a second, as deploy-ecs reports its durations. */
export function secondsBetween(from: number, to: number): number {
  return Math.round((to - from) / 100) / 10;
}
