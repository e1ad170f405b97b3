import { errorMessage } from './errors';

/** States GitHub accepts for a deployment status (REST API "Create a deployment status"). */
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/**
 * Where a use case records what it did for the repository's Deployments page (platform's DeploymentTrail on a
 * runner). Recording is best effort: an implementation never throws, so a use case never fails on it.
 */
export interface AuditTrail {
  /** Attaches to the Deployment an earlier step recorded for this commit, so this step can add its statuses. */
  follow(): Promise<void>;
  /** Adds a status to the Deployment; nothing when there is none. */
  report(state: DeploymentState, description: string): Promise<void>;
}

/** A trail that also records a Deployment of its own: deploy-ecs's release, auto-rollback's rollback. */
export interface RecordingAuditTrail extends AuditTrail {
  /** Records a new Deployment of this commit to the environment, in progress. */
  start(options: { description: string; payload: Record<string, string>; task?: string }): Promise<void>;
}

/** Runs a step; when it throws, the Deployment gets an `error` status saying why, and the error goes on. */
export async function reportingErrors<T>(trail: Pick<AuditTrail, 'report'> | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await trail?.report('error', errorMessage(error));
    throw error;
  }
}
