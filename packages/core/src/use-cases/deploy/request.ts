import type { KeyValue } from '../../common/inputs';

/** deploy-ecs's inputs, read and validated. */
export interface DeployRequest {
  region: string;
  cluster: string;
  service: string;
  taskDefinitionFile?: string;
  container?: string;
  image?: string;
  environment: KeyValue[];
  desiredCount?: number;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  failedTasksThreshold: number;
}

/**
 * `cancelled`: the workflow was cancelled before a verdict (the step still fails; ECS goes on with any deployment it
 * started). `baking` and `paused`: the step returned at the stage wait-until asked for, green; the deployment goes on.
 */
export type DeployStatus = 'succeeded' | 'failed' | 'rolled-back' | 'timed-out' | 'baking' | 'paused' | 'registered' | 'cancelled';

export interface DeployOutputs {
  taskDefinitionArn: string;
  /** The revision that was serving when the step started (the newest COMPLETED deployment's); '' when none is known. */
  previousTaskDefinitionArn: string;
  deploymentId?: string;
  status?: DeployStatus;
  durationSeconds?: number;
}
