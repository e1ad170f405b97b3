/** auto-rollback's inputs, read and validated. */
export interface RollBackServiceRequest {
  region: string;
  cluster: string;
  service: string;
  /** family:revision or a task definition ARN; undefined means "find it in the deployment history". */
  taskDefinition?: string;
  reason?: string;
  wait: boolean;
  timeoutMs: number;
}

export interface RollbackOutputs {
  rolledBack: boolean;
  taskDefinitionArn: string;
  durationSeconds: number;
}
