import { getOctokit } from '@actions/github';
import { ConfigurationError, errorMessage } from '../common/errors';
import type { AuditTrail, DeploymentState } from '../common/audit-trail';
import type { Inputs } from '../common/inputs';
import type { Logger } from '../common/logger';
import { SUITE_VERSION } from '../common/version';
import { maskSecret, redactSecrets } from './masking';

/**
 * The audit trail: with a `github-token`, an action records a GitHub Deployment and its statuses so the
 * repository's Deployments page shows who shipped which revision where, and what was rolled back.
 * Recording is best effort: a GitHub API failure becomes a warning and never fails or stops a deploy.
 */

export { reportingErrors, type DeploymentState } from '../common/audit-trail';

export interface AuditTrailSettings {
  token: string;
  /** The GitHub environment the Deployment is recorded under, e.g. `production`. */
  environment: string;
  /** Where the deployed service answers; shown as the environment's link. */
  environmentUrl?: string;
}

/** What the runner tells every step about the run, read when the trail opens rather than at module load. */
export interface RunContext {
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
  sha: string;
  runId?: string;
}

// GitHub rejects a status description longer than 140 characters.
const MAX_DESCRIPTION = 140;

/**
 * Reads `github-token`, `environment-name` and `environment-url`. Without a token there is no trail.
 * The token is masked at once, so no later log line can show it. Without a default environment (a step that
 * names no service), `environment-name` is required along with the token.
 */
export function readAuditTrailInputs(inputs: Inputs, defaultEnvironment: string | undefined): AuditTrailSettings | undefined {
  const token = inputs.optional('github-token');
  const environmentUrl = inputs.optional('environment-url');
  if (environmentUrl !== undefined && !/^https?:\/\/\S+$/.test(environmentUrl)) {
    throw new ConfigurationError(
      `Input 'environment-url' must be an http(s) URL such as https://shop.example.com; got "${environmentUrl}".`,
      'environment-url',
    );
  }
  if (token === undefined) return undefined;
  maskSecret(token);
  const environment = inputs.optional('environment-name') ?? defaultEnvironment;
  if (environment === undefined) {
    throw new ConfigurationError(
      "Input 'environment-name' is required with 'github-token' when no 'service' is given: name the GitHub environment the deploy step recorded its Deployment under, such as production-web.",
      'environment-name',
    );
  }
  return { token, environment, environmentUrl };
}

/** The environment a service's Deployments are recorded under by default: its name, also when given as an ARN. */
export function serviceEnvironment(service: string): string {
  return service.split('/').pop() as string;
}

export function runContextFromEnv(env: NodeJS.ProcessEnv = process.env): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || !env.GITHUB_SHA) {
    throw new ConfigurationError(
      "Input 'github-token' records a GitHub Deployment, which needs GITHUB_REPOSITORY (owner/name) and GITHUB_SHA as the runner sets them; run the step in a GitHub Actions job or leave github-token empty.",
      'github-token',
    );
  }
  return {
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    owner,
    repo,
    sha: env.GITHUB_SHA,
    runId: env.GITHUB_RUN_ID,
  };
}

export interface StartOptions {
  /** What is being shipped, in a line; GitHub shows it on the Deployments page. */
  description: string;
  /** Machine-readable details (cluster, service, revisions) kept with the Deployment. */
  payload: Record<string, string>;
  /** GitHub's `task` field: `deploy`, or e.g. `deploy:rollback`. */
  task?: string;
}

export class DeploymentTrail implements AuditTrail {
  private id: number | undefined;
  private readonly octokit: ReturnType<typeof getOctokit>;

  constructor(
    private readonly settings: AuditTrailSettings,
    private readonly run: RunContext,
    private readonly log: Logger,
  ) {
    this.octokit = getOctokit(settings.token, { baseUrl: run.apiUrl, userAgent: `ecs-deploy-suite/${SUITE_VERSION}` });
  }

  /** The GitHub Deployment this trail writes to, once started or followed. */
  get deploymentId(): number | undefined {
    return this.id;
  }

  /** Records a new Deployment of this commit to the environment, in progress. */
  async start(options: StartOptions): Promise<void> {
    await this.bestEffort('record a GitHub Deployment', async () => {
      const answer = await this.octokit.rest.repos.createDeployment({
        owner: this.run.owner,
        repo: this.run.repo,
        ref: this.run.sha,
        environment: this.settings.environment,
        task: options.task ?? 'deploy',
        description: clip(redactSecrets(options.description)),
        payload: options.payload,
        // The image is already built and tested; commit statuses and merging have no say here.
        auto_merge: false,
        required_contexts: [],
      });
      const id = (answer.data as { id?: number }).id;
      if (typeof id !== 'number') throw new Error(`GitHub answered without a deployment id (${JSON.stringify(answer.data).slice(0, 200)})`);
      this.id = id;
    });
    if (this.id !== undefined) await this.report('in_progress', options.description);
  }

  /**
   * Attaches to the newest Deployment of this commit to the environment (the one a deploy step recorded
   * earlier in the run), so a later step can add its statuses to it.
   */
  async follow(): Promise<void> {
    await this.bestEffort('find the GitHub Deployment to update', async () => {
      const answer = await this.octokit.rest.repos.listDeployments({
        owner: this.run.owner,
        repo: this.run.repo,
        sha: this.run.sha,
        environment: this.settings.environment,
        per_page: 1,
      });
      this.id = answer.data[0]?.id;
      if (this.id === undefined)
        this.log.warning(
          `No GitHub Deployment of ${this.run.sha.slice(0, 7)} to ${this.settings.environment} to add this step's status to.`,
        );
    });
  }

  /** Adds a status to the Deployment; nothing when there is none. */
  async report(state: DeploymentState, description: string): Promise<void> {
    const id = this.id;
    if (id === undefined) return;
    await this.bestEffort(`set the GitHub Deployment's status to ${state}`, async () => {
      await this.octokit.rest.repos.createDeploymentStatus({
        owner: this.run.owner,
        repo: this.run.repo,
        deployment_id: id,
        state,
        description: clip(redactSecrets(description)),
        log_url: this.run.runId ? `${this.run.serverUrl}/${this.run.owner}/${this.run.repo}/actions/runs/${this.run.runId}` : undefined,
        environment_url: this.settings.environmentUrl,
        // A newer successful Deployment marks the older ones of the environment inactive.
        auto_inactive: true,
      });
    });
  }

  private async bestEffort(what: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const hint = status === 403 || status === 404 ? " Give the job 'permissions: deployments: write' and pass a token that has it." : '';
      this.log.warning(`Could not ${what} (the deploy itself is not affected): ${errorMessage(error)}.${hint}`);
    }
  }
}

/** Opens the trail when a token was given; undefined otherwise, so callers write `trail?.report(...)`. */
export function openDeploymentTrail(
  settings: AuditTrailSettings | undefined,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): DeploymentTrail | undefined {
  if (!settings) return undefined;
  return new DeploymentTrail(settings, runContextFromEnv(env), log);
}

function clip(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}
