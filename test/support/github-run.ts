import { afterAll, beforeAll } from '@jest/globals';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { FakeGitHub, type RecordedRequest } from '../../packages/core/test/support/fake-github';
import { registerSecret } from './secret-sweep';
import { useSandbox } from './use-sandbox';

export { FakeGitHub, type RecordedRequest };

/** The commit and token of the GitHub run the audit-trail tests pretend to be. */
export const RUN_SHA = '5eed000000000000000000000000000000000042';
export const RUN_TOKEN = 'ghs_audit_trail_secret_token';
registerSecret(RUN_TOKEN);

/** The variables the runner sets for every step, pointing the GitHub API at the local stand-in. */
export function githubRunEnv(github: FakeGitHub): Record<string, string> {
  return {
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: RUN_SHA,
    GITHUB_RUN_ID: '901',
  };
}

/** The Deployments created under one environment, oldest first, with the states posted to each. */
export function deploymentsIn(github: FakeGitHub, environment: string): { id: number; request: RecordedRequest; states: string[] }[] {
  return github
    .created()
    .filter((request) => request.body.environment === environment)
    .map((request) => ({ id: github.idOf(request), request, states: github.statusesOf(github.idOf(request)) }));
}

/** The status posts to one Deployment, oldest first. */
export function statusPosts(github: FakeGitHub, id: number): RecordedRequest[] {
  return github.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/deployments/${id}/statuses`));
}

export interface AuditTrailWorld {
  sandbox: Sandbox;
  github: FakeGitHub;
  /** The sandbox's AWS variables and the GitHub run's, as a step of a real run would see them. */
  runnerEnv(): Record<string, string>;
}

/** Starts a sandbox and the GitHub stand-in before a test file's tests and stops them after; call the result inside a test. */
export function useAuditTrailWorld(timeScale = 0.2): () => AuditTrailWorld {
  const sandbox = useSandbox({ timeScale });
  let world: AuditTrailWorld | undefined;
  beforeAll(async () => {
    const github = await new FakeGitHub().start();
    world = { sandbox, github, runnerEnv: () => ({ ...sandbox.env(), ...githubRunEnv(github) }) };
  });
  afterAll(async () => {
    await world?.github.stop();
  });
  return () => {
    if (!world) throw new Error('the audit trail world has not started');
    return world;
  };
}
