import type { ServiceDeploymentArn } from '../../ecs';
import type { HealthPlan, RequestHeader } from '../../health';

/** What verify-health was asked to check: its inputs, read and validated. */
export interface HealthRequest {
  plan: HealthPlan;
  headers: RequestHeader[];
  requestTimeoutMs: number;
  /** Only when cluster+service or alarms ask for AWS. */
  aws?: { region: string; cluster?: string; service?: string; taskDefinition?: string; alarms: string[] };
  /** The service deployment whose PAUSE hook the verdict answers (continue-deployment). */
  continueDeployment?: ServiceDeploymentArn;
}
