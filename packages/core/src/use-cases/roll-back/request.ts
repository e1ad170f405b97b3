import type { CodeDeployGroupInputs } from '../../deployment/mechanism';
import type { TargetSource } from './target';

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
  /** Where `taskDefinition` came from when not the 'task-definition' input (deploy-ecs's 'services' output). */
  targetSource?: TargetSource;
}

/** auto-rollback with several 'service' lines: each service's own target, never one revision for all. */
export interface RollBackServicesRequest extends Omit<
  RollBackServiceRequest,
  'service' | 'taskDefinition' | 'codeDeploy' | 'targetSource'
> {
  services: Array<{
    service: string;
    /** From the service's entry in the 'services' input; undefined means "find it in the deployment history". */
    taskDefinition?: string;
  }>;
  /** Whether the 'services' input was given (then the errors about a missing target name it). */
  fromDeployOutput: boolean;
}

/** One service's line of the 'services' output, with several services. */
export interface ServiceRollbackOutput extends RollbackOutputs {
  cluster: string;
  service: string;
  /** What happened, in words: the verdict's headline, or why the rollback failed. */
  reason: string;
}

export interface RollbackOutputs {
  rolledBack: boolean;
  taskDefinitionArn: string;
  durationSeconds: number;
}
