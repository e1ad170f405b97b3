/**
 * What the starter workflows' e2e tests share (one test file per template, so jest runs them in parallel): the
 * placeholders filled as a user would, the third-party actions faked, the sandbox the steps run against, and the
 * build chain of the tests with real builds.
 */
import { afterAll, beforeAll, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { hasBundle } from './action-metadata';
import { blueGreenCatalog, trafficDuring } from './blue-green';
import { ensureBuildInfra, type BuildInfra } from './build-infra';
import { makeContext, uniqueName } from './build-push';
import { REGISTRY } from './ecs-fixtures';
import { loadWorkflow, suiteActionOf, type Workflow, type WorkflowJob } from './workflow-model';
import { useSandbox } from './use-sandbox';
import { runJob, type Fake, type JobResult, type StepRecord } from './workflow-runner';

export const suiteActions = (workflow: Workflow) =>
  [
    ...new Set(workflow.jobs.flatMap((job) => job.steps.map((s) => (s.uses ? suiteActionOf(s.uses) : undefined)).filter(Boolean))),
  ] as string[];

export const SHA = 'feed000000000000000000000000000000000001';
const checkout: Fake = () => ({});
const awsCredentials: Fake = (inputs) => {
  expect(inputs['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\/\S+$/);
  expect(inputs['aws-region']).toBe('us-east-1');
  return {};
};
export const thirdParty = { 'actions/checkout': checkout, 'aws-actions/configure-aws-credentials': awsCredentials };

export interface TemplateSandbox {
  sandbox: Sandbox;
  /** Where `/health` answers 200: the templates' health URLs point here. */
  healthUrl: string;
}

/**
 * The sandbox the templates' steps run against, started before the file's tests and stopped after them: images of
 * the `shop` repository run as a real HTTP process; `health` answers the probes. `use` receives it once started.
 */
export function useTemplateSandbox(use: (started: TemplateSandbox) => void): void {
  let sandbox: Sandbox | undefined;
  let health: Server | undefined;
  beforeAll(async () => {
    sandbox = await start({ timeScale: 0.2, catalog: { [`${REGISTRY}/shop`]: { command: [process.execPath, '.github/e2e/web.mjs'] } } });
    const server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('ok'));
    health = server;
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    use({ sandbox, healthUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await new Promise((done) => (health ? health.close(done) : done(undefined)));
  });
}

/** The AWS placeholders every template has, filled as the sandbox and the credentials fake expect. */
export const AWS_VALUES = { '<your-aws-region>': 'us-east-1', '<your-account-id>': '123456789012', '<your-deploy-role>': 'deployer' };

/** Fills the template's placeholders as a user would; a placeholder the test does not know fails. */
export function fill(text: string, values: Record<string, string>): string {
  let filled = text;
  for (const [placeholder, value] of Object.entries(values)) filled = filled.split(placeholder).join(value);
  const left = [...new Set(filled.match(/<your-[a-z-]+>/g) ?? [])];
  if (left.length) throw new Error(`Placeholders the test does not fill: ${left.join(', ')}`);
  return filled;
}

export async function template(name: string, values: Record<string, string>): Promise<Workflow> {
  const file = join('workflows-templates', name);
  return loadWorkflow(file, fill(readFileSync(file, 'utf8'), values));
}

export const job = (workflow: Workflow, id: string) => workflow.jobs.find((j) => j.id === id) as WorkflowJob;
export const runnerEnv = (sandbox: Sandbox) => ({ ...sandbox.env(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA, GITHUB_RUN_ID: '1' });
export const github = (extra: Record<string, unknown> = {}) => ({
  sha: SHA,
  token: '',
  actor: 'octocat',
  repository: 'acme/shop',
  ref_name: 'main',
  event: {},
  ...extra,
});
export const failures = (result: JobResult) =>
  result.steps
    .filter((s) => s.outcome === 'failure')
    .map(
      (s) =>
        `${s.step}: ${
          s.run?.log
            .split('\n')
            .filter((l) => l.startsWith('::error'))
            .join(' ') ?? s.log
        }`,
    );

/** Fails first, naming them, when a template uses actions this checkout does not have yet. */
export function requireActions(workflow: Workflow) {
  const missing = suiteActions(workflow).filter((action) => !hasBundle(action));
  if (missing.length)
    throw new Error(
      `${workflow.file} uses ${missing.map((a) => `actions/${a}`).join(', ')}, which this checkout does not have: merge those branches before running it.`,
    );
}

export const SERVICES_VALUES = {
  ...AWS_VALUES,
  '<your-cluster>': 'services',
  '<your-api-service>': 'api',
  '<your-api-ecr-repository>': 'shop',
  '<your-api-host>': 'api.internal',
  '<your-migrate-command>': 'node -e 0',
  '<your-worker-service>': 'worker',
  '<your-worker-ecr-repository>': 'shop',
  '<your-worker-host>': 'worker.internal',
};

export interface BuildChain {
  world: Sandbox;
  infra: BuildInfra;
  repository: string;
  workspace: string;
}

/**
 * Real builds: build-push builds with the real dockerd and pushes to the real registry behind the sandbox's ECR, and
 * the sandbox runs the pushed repository as a real process, so one image travels the whole chain. `use` receives
 * the chain once started.
 */
export function useBuildChain(use: (chain: BuildChain) => void): void {
  let world: Sandbox | undefined;
  beforeAll(async () => {
    const infra = ensureBuildInfra();
    const repository = uniqueName('shop');
    const started = await start({
      timeScale: 0.2,
      registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password },
      catalog: { [`${infra.registryHost}/${repository}`]: { command: [process.execPath, resolve('.github/e2e/web.mjs')] } },
    });
    world = started;
    await new ECRClient({
      region: started.region,
      endpoint: started.endpoint,
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    }).send(new CreateRepositoryCommand({ repositoryName: repository }));
    use({ world: started, infra, repository, workspace: makeContext({ 'web.mjs': readFileSync('.github/e2e/web.mjs', 'utf8') }) });
  });
  afterAll(async () => {
    await world?.stop();
  });
}

/** The environment of a build job's steps: the sandbox's and the build infrastructure's. */
export const buildEnv = ({ world, infra }: Pick<BuildChain, 'world' | 'infra'>) => ({
  ...world.env(),
  ...infra.env,
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: SHA,
  GITHUB_RUN_ID: '1',
  GITHUB_SERVER_URL: 'https://github.com',
});

// The release of the blue/green template's tests: `/health` answers 500 through the listeners whose port follows
// `-sick-on-` in its image tag (`v2-sick-on-8080` fails on the test listener, `v2-sick-on-80` in production), 200
// otherwise; the target groups' own health checks reach the task directly, with no X-Forwarded-Port, so ECS takes its
// tasks in as a load balancer would a release whose shallow check passes. Any other path answers the tag.
export const RELEASE_REPOSITORY = `${REGISTRY}/bg-template-web`;
export const RELEASE_PROGRAM = `
const http = require('node:http');
const sickOn = (process.env.IMAGE_TAG.split('-sick-on-')[1] || '').split('-').filter(Boolean);
const server = http.createServer((req, res) => {
  if (req.url !== '/health') return res.end(process.env.IMAGE_TAG);
  res.writeHead(sickOn.includes(String(req.headers['x-forwarded-port'])) ? 500 : 200).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/**
 * The sandbox of the blue/green and CodeDeploy templates' tests, for the file or describe block that calls it: the
 * release program beside blue-green.ts's revisions, ECS's and CodeDeploy's intervals at a fiftieth.
 */
export const useReleaseSandbox = () =>
  useSandbox({
    timeScale: 0.02,
    catalog: { ...blueGreenCatalog(), [RELEASE_REPOSITORY]: { entryPoint: ['node', '-e'], command: [RELEASE_PROGRAM] } },
  });

/** The placeholders a release template (blue/green or CodeDeploy) shares, filled for a service with a test and a production listener. */
export const releaseValues = (target: { service: string; cluster: string; testUrl: string; productionUrl: string }) => ({
  ...AWS_VALUES,
  '<your-service>': target.service,
  '<your-cluster>': target.cluster,
  '<your-test-command>': 'make test',
  '<your-ecr-repository>': 'shop',
  'https://<your-test-listener-host>': target.testUrl,
  'https://<your-production-host>': target.productionUrl,
});

/**
 * Runs a release template's deploy job on `world`, the build job having handed on `${RELEASE_REPOSITORY}:${tag}`, while
 * production's answers (at `productionUrl`) are recorded: which revision served it. `calls(operation)` counts the
 * job's calls of an operation.
 */
export async function runRelease(world: Sandbox, workflow: Workflow, tag: string, productionUrl: string) {
  requireActions(workflow);
  const image = `${RELEASE_REPOSITORY}:${tag}`;
  const run = () =>
    runJob(workflow, job(workflow, 'deploy'), {
      env: runnerEnv(world),
      github: github(),
      fakes: thirdParty,
      needs: { build: { result: 'success', outputs: { image } } },
      // The production bake is 5 minutes in the template; seconds prove the same chain here.
      overrides: { 'deploy/verify': { bake: '2s' } },
    });
  const from = world.calls.length;
  const { result, answers: production } = await trafficDuring(`${productionUrl}/`, run);
  const step = (name: string) => result.steps.find((s) => s.step === name) as StepRecord;
  const calls = (operation: string) => world.calls.slice(from).filter((call) => call.operation === operation).length;
  return { result, production, step, calls };
}
