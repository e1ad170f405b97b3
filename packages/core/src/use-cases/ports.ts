import { errorMessage } from '../common/errors';

/** States GitHub accepts for a deployment status (REST API "Create a deployment status"). */
export type TrailState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/**
 * Where a use case records what it shipped or rolled back, for the repository's Deployments page (platform's
 * DeploymentTrail on a runner). Recording is best effort: an implementation never throws.
 */
export interface ReleaseTrail {
  /** Records a new Deployment of this commit to the environment, in progress. */
  start(options: { description: string; payload: Record<string, string>; task?: string }): Promise<void>;
  /** Attaches to the Deployment an earlier step recorded for this commit, so this step can add its statuses. */
  follow(): Promise<void>;
  /** Adds a status to the Deployment; nothing when there is none. */
  report(state: TrailState, description: string): Promise<void>;
}

/** Appends markdown to the job summary (a no-op where there is none). */
export type SummaryWriter = (markdown: string) => Promise<void>;

/** Runs a step; when it throws, the Deployment gets an `error` status saying why, and the error goes on. */
export async function reportingErrorsTo<T>(trail: Pick<ReleaseTrail, 'report'> | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await trail?.report('error', errorMessage(error));
    throw error;
  }
}
