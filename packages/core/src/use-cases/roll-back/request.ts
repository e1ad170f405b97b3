import type { CodeDeployGroupInputs } from '../../deployment/mechanism';

/** auto-rollback's inputs, read and validated. */
export interface RollBackServiceRequest {
  region: string;
  cluster: string;
  service: string;
  /** family:revision or a task definition ARN; undefined means "find it in the deployment history". */
  taskDefinition?: string;
  reason?: string;
  wait: boolean;
  /** Without a timeout input: 10 minutes, to which a new deployment of a strategy with a bake adds the bake. */
  timeoutMs: number;
  /** Whether the timeout input was given (then it is kept as asked). */
  timeoutGiven?: boolean;
  /** codedeploy-application and codedeploy-deployment-group, for a CODE_DEPLOY service. */
  codeDeploy?: CodeDeployGroupInputs;
}

export interface RollbackOutputs {
  rolledBack: boolean;
  taskDefinitionArn: string;
  durationSeconds: number;
}
