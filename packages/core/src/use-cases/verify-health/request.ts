import type { ServiceDeploymentArn } from '../../ecs';
import type { HealthPlan, RequestHeader } from '../../health';

/** A CodeDeploy deployment verify-health gates, with the ECS service it deploys (its target `<cluster>:<service>`). */
export interface CodeDeployGateTarget {
  deploymentId: string;
  cluster: string;
  service: string;
  region: string;
  /**
   * end-termination-wait: the verdict (in production) answers the termination wait instead of Ready: healthy ends it
   * (ContinueDeployment TERMINATION_WAIT), unhealthy stops the deployment with rollback onto the original task set.
   */
  endTerminationWait?: boolean;
}

/** What verify-health was asked to check: its inputs, read and validated. */
export interface HealthRequest {
  plan: HealthPlan;
  headers: RequestHeader[];
  requestTimeoutMs: number;
  /** Only when cluster+service or alarms ask for AWS. */
  aws?: { region: string; cluster?: string; service?: string; taskDefinition?: string; alarms: string[] };
  /** The service deployment whose PAUSE hook the verdict answers (continue-deployment as an ARN). */
  continueDeployment?: ServiceDeploymentArn;
  /** The CodeDeploy deployment whose ready wait the verdict answers (continue-deployment as a d-… id). */
  continueCodeDeploy?: CodeDeployGateTarget;
}
