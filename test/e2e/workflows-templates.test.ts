import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { UpdateServiceCommand, type DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { actionMetadata, hasBundle } from '../support/action-metadata';
import { GetDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { answers, blueGreenCatalog, createBlueGreenService, serviceDeploymentEnded, trafficDuring } from '../support/blue-green';
import { codeDeployClient, createCodeDeployService } from '../support/codedeploy';
import { ensureBuildInfra, type BuildInfra } from '../support/build-infra';
import { makeContext, uniqueName } from '../support/build-push';
import { createService, describe, ecsClient, REGISTRY, waitForTaskSetSteady } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';
import { templateFiles } from '../support/workflow-files';
import { Expression, loadWorkflow, suiteActionOf, type Workflow, type WorkflowJob } from '../support/workflow-model';
import { outputReads, runJob, type Fake, type JobResult, type StepRecord } from '../support/workflow-runner';

const SHA_PIN = /^[^/\s]+\/[^@\s]+@[0-9a-f]{40}$/;
const templates = templateFiles();
const suiteActions = (workflow: Workflow) =>
  [
    ...new Set(workflow.jobs.flatMap((job) => job.steps.map((s) => (s.uses ? suiteActionOf(s.uses) : undefined)).filter(Boolean))),
  ] as string[];
const usesOf = (job: WorkflowJob) => job.steps.map((step) => step.uses ?? '').filter(Boolean);

group.each(templates)('starter workflow %s', (file) => {
  let workflow: Workflow;
  beforeAll(async () => {
    workflow = await loadWorkflow(file);
  });

  test("parses with GitHub's workflow parser and has template metadata GitHub shows", () => {
    expect(workflow.jobs.length).toBeGreaterThan(0);
    const properties = JSON.parse(readFileSync(file.replace(/\.yml$/, '.properties.json'), 'utf8'));
    expect(Object.keys(properties).sort()).toEqual(['categories', 'description', 'filePatterns', 'iconName', 'name']);
    expect(properties.name).toMatch(/\S/);
    expect(properties.description.length).toBeGreaterThan(20);
    expect(properties.iconName).toMatch(/^octicon [a-z-]+$/);
    expect(properties.categories).toContain('Deployment');
    for (const pattern of properties.filePatterns) expect(() => new RegExp(pattern)).not.toThrow();
  });

  test('grants nothing at the top and, per job, only the permissions its steps use', () => {
    expect(workflow.permissions).toEqual({});
    for (const job of workflow.jobs) {
      const uses = usesOf(job);
      const needed: Record<string, string> = {};
      if (uses.some((u) => u.startsWith('actions/checkout@'))) needed.contents = 'read';
      if (uses.some((u) => u.startsWith('aws-actions/configure-aws-credentials@'))) needed['id-token'] = 'write';
      if (job.steps.some((s) => 'github-token' in s.with)) needed.deployments = 'write';
      expect({ job: job.id, permissions: job.permissions ?? {} }).toEqual({ job: job.id, permissions: needed });
    }
  });

  test('every job has a timeout, and every job that changes a service queues per environment without cancelling', () => {
    for (const job of workflow.jobs) {
      expect({ job: job.id, timeout: typeof job['timeout-minutes'] }).toEqual({ job: job.id, timeout: 'number' });
      // A hung job holds its concurrency group, and every later deploy of the service with it. The deploy jobs' limits
      // are the sums of their steps' (test/static/workflows-time-budget.test.ts); this catches a forgotten big one.
      expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
      const changesService = job.steps.some((s) =>
        ['deploy-ecs', 'auto-rollback', 'run-migration'].includes(suiteActionOf(s.uses ?? '') ?? ''),
      );
      if (!changesService) continue;
      const concurrency = job.concurrency as Record<string, unknown>;
      expect({ job: job.id, cancel: concurrency?.['cancel-in-progress'] }).toEqual({ job: job.id, cancel: false });
      const group = concurrency.group instanceof Expression ? concurrency.group.expr : String(concurrency.group);
      const environment = job.environment as Record<string, unknown> | Expression | string;
      const name =
        environment instanceof Expression
          ? environment.expr
          : typeof environment === 'string'
            ? environment
            : String((environment as Record<string, unknown>).name);
      expect(group).toContain(name);
    }
  });

  test('pins third-party actions by full commit SHA with the version in a comment, and ours at @v1 under a visible placeholder owner', () => {
    for (const job of workflow.jobs) {
      for (const uses of usesOf(job)) {
        if (suiteActionOf(uses)) {
          expect(uses).toMatch(/^<org>\/deploy\/actions\/[a-z-]+@v1$/);
          continue;
        }
        expect(uses).toMatch(SHA_PIN);
        const line = workflow.text.split('\n').find((l) => l.includes(`uses: ${uses}`));
        expect(line).toMatch(/ # v\d+\.\d+\.\d+$/);
      }
    }
    expect(workflow.text).toMatch(/^# .*`<org>\/deploy`/m);
    expect(workflow.text).toContain('<your-');
  });

  test('puts no expression inside run:, only env', () => {
    const scripts = workflow.jobs.flatMap((job) => job.steps.filter((s) => s.run !== undefined));
    for (const step of scripts)
      expect({ step: step.id ?? step.name, run: step.run instanceof Expression ? step.run.expr : 'literal' }).toEqual({
        step: step.id ?? step.name,
        run: 'literal',
      });
    expect(workflow.text).not.toMatch(/run: .*\$\{\{/);
  });

  test('passes only inputs our actions declare and reads only outputs they declare', () => {
    const problems: string[] = [];
    for (const action of suiteActions(workflow)) {
      if (!actionMetadata(action) || !hasBundle(action))
        problems.push(`actions/${action} is missing from this checkout (no action.yml or no dist)`);
    }
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        const action = suiteActionOf(step.uses ?? '');
        const metadata = action ? actionMetadata(action) : undefined;
        if (!metadata) continue;
        for (const input of Object.keys(step.with))
          if (!(input in metadata.inputs)) problems.push(`${job.id}/${step.id}: ${action} has no input '${input}'`);
        for (const [name, input] of Object.entries(metadata.inputs))
          if (input.required && !(name in step.with)) problems.push(`${job.id}/${step.id}: ${action} needs '${name}'`);
      }
      for (const read of outputReads(job)) {
        const action = suiteActionOf(read.uses ?? '');
        const metadata = action ? actionMetadata(action) : undefined;
        if (action && metadata && !metadata.outputs.includes(read.output))
          problems.push(`${job.id}: ${action} (step ${read.step}) has no output '${read.output}'`);
        if (!read.exists) problems.push(`${job.id}: reads steps.${read.step}, which is not a step of the job`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Running the templates' steps against the sandbox.

const SHA = 'feed000000000000000000000000000000000001';
const checkout: Fake = () => ({});
const awsCredentials: Fake = (inputs) => {
  expect(inputs['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\/\S+$/);
  expect(inputs['aws-region']).toBe('us-east-1');
  return {};
};
const thirdParty = { 'actions/checkout': checkout, 'aws-actions/configure-aws-credentials': awsCredentials };

let sandbox: Sandbox;
let health: Server;
let healthUrl: string;
beforeAll(async () => {
  // Images of the `shop` repository run as a real HTTP process; `health` answers the probes.
  sandbox = await start({ timeScale: 0.2, catalog: { [`${REGISTRY}/shop`]: { command: [process.execPath, '.github/e2e/web.mjs'] } } });
  health = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('ok'));
  await new Promise<void>((ready) => health.listen(0, '127.0.0.1', ready));
  healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox?.stop();
  await new Promise((done) => health?.close(done));
});

/** The AWS placeholders every template has, filled as the sandbox and the credentials fake expect. */
const AWS_VALUES = { '<your-aws-region>': 'us-east-1', '<your-account-id>': '123456789012', '<your-deploy-role>': 'deployer' };

/** Fills the template's placeholders as a user would; a placeholder the test does not know fails. */
function fill(text: string, values: Record<string, string>): string {
  let filled = text;
  for (const [placeholder, value] of Object.entries(values)) filled = filled.split(placeholder).join(value);
  const left = [...new Set(filled.match(/<your-[a-z-]+>/g) ?? [])];
  if (left.length) throw new Error(`Placeholders the test does not fill: ${left.join(', ')}`);
  return filled;
}

async function template(name: string, values: Record<string, string>): Promise<Workflow> {
  const file = join('workflows-templates', name);
  return loadWorkflow(file, fill(readFileSync(file, 'utf8'), values));
}

const job = (workflow: Workflow, id: string) => workflow.jobs.find((j) => j.id === id) as WorkflowJob;
const runnerEnv = () => ({ ...sandbox.env(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA, GITHUB_RUN_ID: '1' });
const github = (extra: Record<string, unknown> = {}) => ({
  sha: SHA,
  token: '',
  actor: 'octocat',
  repository: 'acme/shop',
  ref_name: 'main',
  event: {},
  ...extra,
});
const failures = (result: JobResult) =>
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
function requireActions(workflow: Workflow) {
  const missing = suiteActions(workflow).filter((action) => !hasBundle(action));
  if (missing.length)
    throw new Error(
      `${workflow.file} uses ${missing.map((a) => `actions/${a}`).join(', ')}, which this checkout does not have: merge those branches before running it.`,
    );
}

group('the template runner on a workflow that uses deploy-ecs only', () => {
  const fixture = 'test/fixtures/workflows/deploy-and-report.yml';
  const values = {
    '<your-service>': 'catalog',
    '<your-cluster>': 'prod',
    '<your-account-id>': '123456789012',
    '<your-deploy-role>': 'deployer',
  };

  test('a good release: outputs flow into the report, the failure step is skipped', async () => {
    const { taskDefinitionArn } = await createService(sandbox, { service: 'catalog', image: `${REGISTRY}/shop:v1` });
    const workflow = await loadWorkflow(fixture, fill(readFileSync(fixture, 'utf8'), values));
    const result = await runJob(workflow, job(workflow, 'deploy'), {
      env: runnerEnv(),
      github: github({ event: { inputs: { image: `${REGISTRY}/shop:v2` } } }),
      fakes: thirdParty,
    });

    expect(failures(result)).toEqual([]);
    const [credentials, deploy, onFailure, report] = result.steps;
    expect(credentials.kind).toBe('fake');
    expect(deploy.kind).toBe('suite-action');
    expect(deploy.inputs).toMatchObject({
      cluster: 'prod',
      service: 'catalog',
      image: `${REGISTRY}/shop:v2`,
      environment: `RELEASE=${SHA}`,
      wait: 'true',
      'failed-tasks-threshold': '3',
    });
    // An input with no default in action.yml is left unset, as the runner leaves it (deploy-ecs's timeout default
    // depends on the service's bake time).
    expect(deploy.inputs).not.toHaveProperty('timeout');
    expect(deploy.outputs.status).toBe('succeeded');
    expect(onFailure.outcome).toBe('skipped');
    expect(report.outputs.status).toBe('succeeded');
    expect(report.summary).toBe(`${taskDefinitionArn} -> ${deploy.outputs['task-definition-arn']}: succeeded\n`);
    expect((await describe(sandbox, 'prod', 'catalog')).taskDefinition).toBe(deploy.outputs['task-definition-arn']);
  });

  test('a failed release: if: failure() runs with the previous revision deploy-ecs handed on', async () => {
    const { taskDefinitionArn } = await createService(sandbox, { service: 'basket', image: `${REGISTRY}/shop:v1` });
    sandbox.script(`${REGISTRY}/basket-broken:v2`, { kind: 'exit', exitCode: 1, afterMs: 200 });
    const workflow = await loadWorkflow(fixture, fill(readFileSync(fixture, 'utf8'), { ...values, '<your-service>': 'basket' }));
    const result = await runJob(workflow, job(workflow, 'deploy'), {
      env: runnerEnv(),
      github: github({ event: { inputs: { image: `${REGISTRY}/basket-broken:v2` } } }),
      fakes: thirdParty,
    });

    expect(result.result).toBe('failure');
    const [, deploy, onFailure, report] = result.steps;
    expect(deploy.outcome).toBe('failure');
    expect(onFailure.outcome).toBe('success');
    expect(onFailure.outputs.target).toBe(taskDefinitionArn);
    expect(report.outputs.status).toBe('failed');
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: 'prod', service: 'basket', desiredCount: 0 }));
  });
});

group('ecs-deploy.yml cancelled during the deploy', () => {
  test('the rollback step still runs (cancelled()), the service returns to the revision deploy-ecs handed on', async () => {
    const before = await createService(sandbox, { cluster: 'staging', service: 'parcel', image: `${REGISTRY}/shop:v1` });
    const workflow = await template('ecs-deploy.yml', {
      ...AWS_VALUES,
      '<your-service>': 'parcel',
      '<your-test-command>': 'make test',
      '<your-ecr-repository>': 'shop',
      'https://<your-staging-host>': healthUrl,
      'https://<your-production-host>': healthUrl,
      '<your-staging-cluster>': 'staging',
      '<your-production-cluster>': 'production',
      '<your-migrate-command>': 'node -e 0',
    });
    requireActions(workflow);

    const result = await runJob(workflow, job(workflow, 'staging'), {
      env: runnerEnv(),
      github: github(),
      fakes: thirdParty,
      needs: { build: { result: 'success', outputs: { image: `${REGISTRY}/shop:v2` } } },
      // "Cancel workflow" while the new revision rolls out, unwatched from then on.
      cancel: { step: 'deploy', when: (line) => line.text.includes('UpdateService started deployment') },
    });

    expect(result.result).toBe('cancelled');
    const step = (name: string) => result.steps.find((s) => s.step === name) as StepRecord;
    expect(step('migrate').outcome).toBe('success');
    expect(step('deploy').outcome).toBe('cancelled');
    expect(step('deploy').outputs.status).toBe('cancelled');
    expect(step('verify').outcome).toBe('skipped');
    expect(step('rollback').outcome).toBe('success');
    expect(step('rollback').inputs['task-definition']).toBe(before.taskDefinitionArn);
    expect(step('rollback').outputs['rolled-back']).toBe('true');
    expect(step('Record what shipped').outcome).toBe('success');
    expect((await describe(sandbox, 'staging', 'parcel')).taskDefinition).toBe(before.taskDefinitionArn);
    await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster: 'staging', service: 'parcel', desiredCount: 0 }));
  }, 200_000);
});

const SERVICES_VALUES = {
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

// Real builds: build-push builds with the real dockerd and pushes to the real registry behind the sandbox's ECR,
// and the sandbox runs the pushed repository as a real process, so one image travels the whole chain.
group('full chains with real builds', () => {
  let world: Sandbox;
  let infra: BuildInfra;
  let repository: string;
  let workspace: string;
  beforeAll(async () => {
    infra = ensureBuildInfra();
    repository = uniqueName('shop');
    world = await start({
      timeScale: 0.2,
      registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password },
      catalog: { [`${infra.registryHost}/${repository}`]: { command: [process.execPath, resolve('.github/e2e/web.mjs')] } },
    });
    await new ECRClient({ region: world.region, endpoint: world.endpoint, credentials: { accessKeyId: 't', secretAccessKey: 't' } }).send(
      new CreateRepositoryCommand({ repositoryName: repository }),
    );
    workspace = makeContext({ 'web.mjs': readFileSync('.github/e2e/web.mjs', 'utf8') });
  });
  afterAll(async () => {
    await world?.stop();
  });
  const buildEnv = () => ({
    ...world.env(),
    ...infra.env,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
  });

  test('ecs-deploy.yml: test, build, then staging and production (migrate, deploy, verify), each output feeding the next', async () => {
    const workflow = await template('ecs-deploy.yml', {
      ...AWS_VALUES,
      '<your-service>': 'shop',
      '<your-test-command>': 'make test',
      '<your-ecr-repository>': repository,
      'https://<your-staging-host>': healthUrl,
      'https://<your-production-host>': healthUrl,
      '<your-staging-cluster>': 'staging',
      '<your-production-cluster>': 'production',
      '<your-migrate-command>': 'node -e "console.log(1)"',
    });
    requireActions(workflow);
    const image = `${infra.registryHost}/${repository}:v1`;
    const staging = await createService(world, { cluster: 'staging', service: 'shop', image });
    const production = await createService(world, { cluster: 'production', service: 'shop', image });
    const fakes = { ...thirdParty, Test: () => ({}) };
    // The production bake is 5 minutes in the template; a few seconds prove the same chain here.
    const options = { env: buildEnv(), github: github(), fakes, cwd: workspace, overrides: { 'production/verify': { bake: '3s' } } };

    const tested = await runJob(workflow, job(workflow, 'test'), options);
    expect(failures(tested)).toEqual([]);
    const built = await runJob(workflow, job(workflow, 'build'), options);
    expect(failures(built)).toEqual([]);
    expect(built.outputs.image).toMatch(new RegExp(`^${infra.registryHost}/${repository}@sha256:[0-9a-f]{64}$`));
    const needs = { build: { result: 'success', outputs: built.outputs }, staging: { result: 'success', outputs: {} } };

    for (const [id, before] of [
      ['staging', staging],
      ['production', production],
    ] as const) {
      const result = await runJob(workflow, job(workflow, id), { ...options, needs });
      expect(failures(result)).toEqual([]);
      const step = (name: string) => result.steps.find((s) => s.step === name);
      expect(step('migrate')?.inputs.image).toBe(built.outputs.image);
      expect(step('migrate')?.outputs['exit-code']).toBe('0');
      expect(step('deploy')?.inputs.image).toBe(built.outputs.image);
      expect(step('deploy')?.outputs['previous-task-definition-arn']).toBe(before.taskDefinitionArn);
      expect(step('verify')?.inputs['task-definition']).toBe(step('deploy')?.outputs['task-definition-arn']);
      expect(step('verify')?.outputs.healthy).toBe('true');
      expect(step('rollback')?.outcome).toBe('skipped');
      expect(step('Record what shipped')?.summary).toContain(
        `| ${built.outputs.image} | ${step('migrate')?.outputs['task-definition-arn']} | ${step('deploy')?.outputs['task-definition-arn']} |`,
      );
      const live = await describe(world, id, 'shop');
      expect(live.taskDefinition).toBe(step('deploy')?.outputs['task-definition-arn']);
    }
  }, 400_000);

  test('ecs-deploy.yml: an unhealthy release is rolled back to the revision deploy-ecs handed on', async () => {
    const unhealthy = createServer((_, res) => res.writeHead(503).end('down'));
    await new Promise<void>((ready) => unhealthy.listen(0, '127.0.0.1', ready));
    try {
      const workflow = await template('ecs-deploy.yml', {
        ...AWS_VALUES,
        '<your-service>': 'till',
        '<your-test-command>': 'make test',
        '<your-ecr-repository>': repository,
        'https://<your-staging-host>': `http://127.0.0.1:${(unhealthy.address() as AddressInfo).port}`,
        'https://<your-production-host>': healthUrl,
        '<your-staging-cluster>': 'staging',
        '<your-production-cluster>': 'production',
        '<your-migrate-command>': 'node -e 0',
      });
      requireActions(workflow);
      const before = await createService(world, { cluster: 'staging', service: 'till', image: `${infra.registryHost}/${repository}:v1` });
      const options = { env: buildEnv(), github: github(), fakes: thirdParty, cwd: workspace };
      const built = await runJob(workflow, job(workflow, 'build'), options);
      expect(failures(built)).toEqual([]);

      const result = await runJob(workflow, job(workflow, 'staging'), {
        ...options,
        needs: { build: { result: 'success', outputs: built.outputs } },
      });

      expect(result.result).toBe('failure');
      const step = (name: string) => result.steps.find((s) => s.step === name);
      expect(step('deploy')?.outputs.status).toBe('succeeded');
      expect(step('verify')?.outcome).toBe('failure');
      expect(step('verify')?.outputs.healthy).toBe('false');
      expect(step('rollback')?.outcome).toBe('success');
      expect(step('rollback')?.inputs['task-definition']).toBe(before.taskDefinitionArn);
      expect(step('rollback')?.inputs.reason).toBe(`staging deploy of ${SHA} failed or was unhealthy`);
      expect(step('rollback')?.outputs['rolled-back']).toBe('true');
      expect(step('Record what shipped')?.summary).toContain('| false | true |');
      expect((await describe(world, 'staging', 'till')).taskDefinition).toBe(before.taskDefinitionArn);
    } finally {
      await new Promise((done) => unhealthy.close(done));
    }
  }, 400_000);

  test('ecs-deploy-services.yml: the deploy job builds, migrates, deploys and verifies one matrix entry', async () => {
    const workflow = await template('ecs-deploy-services.yml', {
      ...SERVICES_VALUES,
      '<your-api-ecr-repository>': repository,
      'https://api.internal': healthUrl,
    });
    requireActions(workflow);
    const before = await createService(world, { cluster: 'services', service: 'api', image: `${infra.registryHost}/${repository}:v1` });
    const entries = JSON.parse(String(workflow.env.SERVICES)) as Record<string, string>[];
    const result = await runJob(workflow, job(workflow, 'deploy'), {
      env: buildEnv(),
      github: github(),
      fakes: thirdParty,
      cwd: join(workspace, '..'),
      matrix: { ...entries[0], path: basename(workspace) },
      overrides: { 'deploy/verify': { bake: '3s' } },
    });
    expect(failures(result)).toEqual([]);
    const step = (name: string) => result.steps.find((s) => s.step === name);
    expect(step('build')?.inputs.context).toBe(basename(workspace));
    expect(step('migrate')?.outcome).toBe('success');
    expect(step('deploy')?.inputs.image).toBe(step('build')?.outputs.image);
    expect(step('deploy')?.outputs['previous-task-definition-arn']).toBe(before.taskDefinitionArn);
    expect(step('verify')?.inputs['task-definition']).toBe(step('deploy')?.outputs['task-definition-arn']);
    expect(step('verify')?.outputs.healthy).toBe('true');
    expect(step('rollback')?.outcome).toBe('skipped');
  }, 400_000);

  test('ecs-deploy-services.yml: the worker entry has no health URL, and verify-health judges it on ECS alone', async () => {
    const workflow = await template('ecs-deploy-services.yml', { ...SERVICES_VALUES, '<your-worker-ecr-repository>': repository });
    requireActions(workflow);
    await createService(world, { cluster: 'services', service: 'worker', image: `${infra.registryHost}/${repository}:v1` });
    const entries = JSON.parse(String(workflow.env.SERVICES)) as Record<string, string>[];
    const worker = entries.find((entry) => entry.service === 'worker') as Record<string, string>;
    expect(worker['health-url']).toBe('');

    const result = await runJob(workflow, job(workflow, 'deploy'), {
      env: buildEnv(),
      github: github(),
      fakes: thirdParty,
      cwd: join(workspace, '..'),
      matrix: { ...worker, path: basename(workspace) },
      overrides: { 'deploy/verify': { bake: '3s' } },
    });

    expect(failures(result)).toEqual([]);
    const step = (name: string) => result.steps.find((s) => s.step === name);
    expect(step('migrate')?.outcome).toBe('skipped');
    expect(step('verify')?.inputs.url).toBe('');
    expect(step('verify')?.outputs).toMatchObject({ healthy: 'true', checks: '0' });
    expect(step('verify')?.run?.log).toContain('Checking service worker on ECS alone (no url');
    expect(step('rollback')?.outcome).toBe('skipped');
  }, 400_000);
});

group('ecs-deploy-services.yml', () => {
  const values = SERVICES_VALUES;

  /** A repository with both service folders, then a commit that touches only the given paths. */
  function repositoryChanging(paths: string[]): { dir: string; before: string; after: string } {
    const dir = mkdtempSync(join(tmpdir(), 'services-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    for (const folder of ['services/api', 'services/worker', 'docs']) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, 'README.md'), folder);
    }
    git('add', '.');
    git('commit', '-qm', 'first');
    const before = git('rev-parse', 'HEAD');
    for (const path of paths) writeFileSync(join(dir, path), `changed ${path}`);
    git('add', '.');
    git('commit', '-qm', 'second', '--allow-empty');
    return { dir, before, after: git('rev-parse', 'HEAD') };
  }

  test.each([
    ['only the api folder changed', ['services/api/README.md'], ['api']],
    ['both service folders changed', ['services/worker/README.md', 'services/api/README.md'], ['api', 'worker']],
    ['only docs changed', ['docs/README.md'], []],
    ['a folder whose name merely starts like a service', ['services/api-docs.md'], []],
  ])('the changes job selects the right services when %s (run for real with git and jq)', async (_, paths, expected) => {
    const workflow = await template('ecs-deploy-services.yml', values);
    const repo = repositoryChanging(paths);
    const result = await runJob(workflow, job(workflow, 'changes'), {
      env: {},
      github: github({ sha: repo.after, event: { before: repo.before } }),
      fakes: thirdParty,
      cwd: repo.dir,
    });
    expect(failures(result)).toEqual([]);
    const selected = JSON.parse(result.outputs.services) as { service: string }[];
    expect(selected.map((s) => s.service)).toEqual(expected);
  });

  test('a new branch (no previous commit) deploys every service', async () => {
    const workflow = await template('ecs-deploy-services.yml', values);
    const repo = repositoryChanging(['docs/README.md']);
    const result = await runJob(workflow, job(workflow, 'changes'), {
      env: {},
      github: github({ sha: repo.after, event: { before: '0'.repeat(40) } }),
      fakes: thirdParty,
      cwd: repo.dir,
    });
    expect(JSON.parse(result.outputs.services).map((s: { service: string }) => s.service)).toEqual(['api', 'worker']);
  });
});

group('ecs-rollback.yml', () => {
  test('returns the chosen service to the revision before the current one', async () => {
    const workflow = await template('ecs-rollback.yml', {
      ...AWS_VALUES,
      '<your-service>': 'till',
      '<your-other-service>': 'other',
      '<your-production-cluster>': 'production',
      '<your-staging-cluster>': 'staging',
    });
    requireActions(workflow);
    const { taskDefinitionArn: good } = await createService(sandbox, {
      cluster: 'production',
      service: 'till',
      image: `${REGISTRY}/shop:v1`,
    });
    const deployed = await runBundledAction(
      'deploy-ecs',
      { cluster: 'production', service: 'till', image: `${REGISTRY}/shop:v2` },
      { env: sandbox.env() },
    );
    expect(deployed.outputs.status).toBe('succeeded');

    const result = await runJob(workflow, job(workflow, 'rollback'), {
      env: runnerEnv(),
      github: github(),
      inputs: { environment: 'production', service: 'till', 'task-definition': '', reason: 'checkout errors' },
      fakes: thirdParty,
    });

    expect(failures(result)).toEqual([]);
    const rollback = result.steps.find((s) => s.step === 'rollback');
    expect(rollback?.inputs).toMatchObject({ cluster: 'production', service: 'till', reason: 'checkout errors (by octocat)' });
    expect(rollback?.outputs['rolled-back']).toBe('true');
    expect(rollback?.outputs['task-definition-arn']).toBe(good);
    expect((await describe(sandbox, 'production', 'till')).taskDefinition).toBe(good);
    expect(result.steps.at(-1)?.summary).toContain(`Service till runs ${good}`);
  });

  test('says the rollback did not succeed when it failed, instead of saying nothing', async () => {
    const workflow = await template('ecs-rollback.yml', {
      ...AWS_VALUES,
      '<your-service>': 'till-unknown-target',
      '<your-other-service>': 'other',
      '<your-production-cluster>': 'production',
      '<your-staging-cluster>': 'staging',
    });
    requireActions(workflow);
    await createService(sandbox, { cluster: 'production', service: 'till-unknown-target', image: `${REGISTRY}/shop:v1` });

    const result = await runJob(workflow, job(workflow, 'rollback'), {
      env: runnerEnv(),
      github: github(),
      inputs: {
        environment: 'production',
        service: 'till-unknown-target',
        'task-definition': 'till-unknown-target:99',
        reason: 'checkout errors',
      },
      fakes: thirdParty,
    });

    expect(failures(result)).toEqual([expect.stringMatching(/^rollback: .*Input 'task-definition'/)]);
    const last = result.steps.at(-1);
    expect(last?.step).toBe('Say what happened');
    expect(last?.summary).toContain('The rollback of till-unknown-target did not succeed (failure; rolled back: false)');
  });
});

// The release of the blue/green template's tests: `/health` answers 500 through the listeners whose port follows
// `-sick-on-` in its image tag (`v2-sick-on-8080` fails on the test listener, `v2-sick-on-80` in production), 200
// otherwise; the target groups' own health checks reach the task directly, with no X-Forwarded-Port, so ECS takes its
// tasks in as a load balancer would a release whose shallow check passes. Any other path answers the tag.
const RELEASE_REPOSITORY = `${REGISTRY}/bg-template-web`;
const RELEASE_PROGRAM = `
const http = require('node:http');
const sickOn = (process.env.IMAGE_TAG.split('-sick-on-')[1] || '').split('-').filter(Boolean);
const server = http.createServer((req, res) => {
  if (req.url !== '/health') return res.end(process.env.IMAGE_TAG);
  res.writeHead(sickOn.includes(String(req.headers['x-forwarded-port'])) ? 500 : 200).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

group('ecs-deploy-blue-green.yml', () => {
  // ECS's intervals at a fiftieth: the service's 15-minute bake is 18 s, longer than the production check here.
  const world = useSandbox({
    timeScale: 0.02,
    catalog: { ...blueGreenCatalog(), [RELEASE_REPOSITORY]: { entryPoint: ['node', '-e'], command: [RELEASE_PROGRAM] } },
  });
  const pauseAfterTestTraffic: DeploymentLifecycleHook[] = [
    {
      targetType: 'PAUSE',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' },
    },
  ];

  /** A blue/green service on v1 with the template's PAUSE hook and bake; the template's deploy job releasing `tag`. */
  async function release(service: string, tag: string) {
    const bg = await createBlueGreenService(world, {
      service,
      lifecycleHooks: pauseAfterTestTraffic,
      afterFirstDeployment: { bakeTimeInMinutes: 15 },
    });
    const workflow = await template('ecs-deploy-blue-green.yml', {
      ...AWS_VALUES,
      '<your-service>': bg.service,
      '<your-cluster>': bg.cluster,
      '<your-test-command>': 'make test',
      '<your-ecr-repository>': 'shop',
      'https://<your-test-listener-host>': bg.testUrl,
      'https://<your-production-host>': bg.productionUrl,
    });
    requireActions(workflow);
    const image = `${RELEASE_REPOSITORY}:${tag}`;
    const run = () =>
      runJob(workflow, job(workflow, 'deploy'), {
        env: { ...world.env(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA, GITHUB_RUN_ID: '1' },
        github: github(),
        fakes: thirdParty,
        needs: { build: { result: 'success', outputs: { image } } },
        // The production bake is 5 minutes in the template; seconds prove the same chain here.
        overrides: { 'deploy/verify': { bake: '2s' } },
      });
    const from = world.calls.length;
    // Production's answers while the job runs: which revision served it.
    const { result, answers: production } = await trafficDuring(`${bg.productionUrl}/`, run);
    const step = (name: string) => result.steps.find((s) => s.step === name) as StepRecord;
    /** How often the job called an ECS operation that changes a deployment. */
    const calls = (operation: string) => world.calls.slice(from).filter((call) => call.operation === operation).length;
    return { bg, result, production, step, calls };
  }

  test('a healthy release: paused at the hook, continued by the gate, verified in production while baking, then SUCCESSFUL', async () => {
    const { bg, result, production, step } = await release('bg-tpl-good', 'v2');

    expect(failures(result)).toEqual([]);
    expect(step('deploy').outputs).toMatchObject({ status: 'paused', 'lifecycle-stage': 'POST_TEST_TRAFFIC_SHIFT' });
    expect(step('deploy').outputs['previous-task-definition-arn']).toBe(bg.taskDefinitionArn);
    const arn = step('deploy').outputs['service-deployment-arn'];
    expect(arn).toMatch(/:service-deployment\//);
    expect(step('gate').inputs['continue-deployment']).toBe(arn);
    expect(step('gate').inputs.url).toBe(`${bg.testUrl}/health`);
    expect(step('gate').outputs).toMatchObject({ healthy: 'true', 'deployment-action': 'continued' });
    expect(step('follow').inputs['service-deployment-arn']).toBe(arn);
    expect(step('follow').outputs).toMatchObject({ status: 'baking', 'lifecycle-stage': 'BAKE_TIME' });
    expect(step('follow').outputs['task-definition-arn']).toBe(step('deploy').outputs['task-definition-arn']);
    expect(step('verify').inputs.url).toBe(`${bg.productionUrl}/health`);
    expect(step('verify').outputs.healthy).toBe('true');
    expect(step('rollback').outcome).toBe('skipped');
    expect(step('Record what shipped').summary).toContain(`| ${arn} | continued | baking | true | false |`);
    // The job ends during the bake; ECS finishes the deployment on its own, on the new revision.
    expect(await serviceDeploymentEnded(world, arn, 40_000)).toBe('SUCCESSFUL');
    expect(await answers(`${bg.productionUrl}/`, 3)).toEqual(['v2', 'v2', 'v2']);
    // Production was served throughout, by the old revision and then the new one, never failing.
    expect(production.filter((answer) => answer !== 'v1' && answer !== 'v2')).toEqual([]);
  }, 120_000);

  test('a release failing at the test gate: rolled back by the hook answer before production sees it, the job fails for the gate alone', async () => {
    const { bg, result, production, step, calls } = await release('bg-tpl-gate', 'v2-sick-on-8080');

    expect(result.result).toBe('failure');
    expect(failures(result).map((failure) => failure.split(':')[0])).toEqual(['gate']);
    expect(step('deploy').outputs.status).toBe('paused');
    expect(step('gate').outputs).toMatchObject({ healthy: 'false', 'deployment-action': 'rolled-back' });
    expect(step('follow').outcome).toBe('skipped');
    expect(step('verify').outcome).toBe('skipped');
    // ECS is already rolling back on the gate's answer: auto-rollback starts nothing on top of it and succeeds.
    expect(step('rollback').outcome).toBe('success');
    expect(step('rollback').inputs['task-definition']).toBe(bg.taskDefinitionArn);
    expect(step('rollback').run?.log).toMatch(
      /ECS already rolled \S+ back .* on its own|ECS is already rolling service deployment \S+ back/,
    );
    expect({ update: calls('UpdateService'), stop: calls('StopServiceDeployment'), answer: calls('ContinueServiceDeployment') }).toEqual({
      update: 1,
      stop: 0,
      answer: 1,
    });
    // The report falls back to the first deploy's status when the follow step did not run.
    expect(step('Record what shipped').summary).toMatch(/\| rolled-back \| paused \| {2}\| (true|false) \|\n$/);
    const arn = step('deploy').outputs['service-deployment-arn'];
    expect(await serviceDeploymentEnded(world, arn)).toBe('ROLLBACK_SUCCESSFUL');
    expect((await describe(world, bg.cluster, bg.service)).taskDefinition).toBe(bg.taskDefinitionArn);
    // Not one production request reached the new revision.
    expect(production.length).toBeGreaterThan(20);
    expect(production.filter((answer) => answer !== 'v1')).toEqual([]);
  }, 120_000);

  test('a release failing in production during the bake: auto-rollback shifts the traffic back, the old revision serves', async () => {
    const { bg, result, production, step, calls } = await release('bg-tpl-prod', 'v2-sick-on-80');

    expect(result.result).toBe('failure');
    expect(failures(result).map((failure) => failure.split(':')[0])).toEqual(['verify']);
    expect(step('gate').outputs['deployment-action']).toBe('continued');
    expect(step('follow').outputs.status).toBe('baking');
    expect(step('verify').outputs.healthy).toBe('false');
    expect(step('rollback').outcome).toBe('success');
    expect(step('rollback').outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': bg.taskDefinitionArn });
    expect(step('rollback').run?.log).toMatch(/StopServiceDeployment \(ROLLBACK\) of service deployment .*still in flight/);
    expect({ update: calls('UpdateService'), stop: calls('StopServiceDeployment') }).toEqual({ update: 1, stop: 1 });
    expect(step('Record what shipped').summary).toContain('| continued | baking | false | true |');
    const arn = step('deploy').outputs['service-deployment-arn'];
    expect(await serviceDeploymentEnded(world, arn)).toBe('ROLLBACK_SUCCESSFUL');
    // The old revision never stopped: it serves production again at once.
    expect(await answers(`${bg.productionUrl}/`, 3)).toEqual(['v1', 'v1', 'v1']);
    expect(production).toContain('v2-sick-on-80');
    expect(production.at(-1)).toBe('v1');
  }, 120_000);
});

group('ecs-deploy-codedeploy.yml', () => {
  // CodeDeploy's minutes at a fiftieth: the group's 120-minute ready wait and termination wait are 144 s each, longer
  // than the whole job here (gate, follow, the production check and the rollback's start), as the template asks of
  // them, with room for a loaded CI machine (72 s was once outlasted there).
  const world = useSandbox({
    timeScale: 0.02,
    catalog: { ...blueGreenCatalog(), [RELEASE_REPOSITORY]: { entryPoint: ['node', '-e'], command: [RELEASE_PROGRAM] } },
  });
  const waitAtReady = {
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 120 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes: 120 },
    },
  };
  const codedeploy = () => codeDeployClient(world);
  const deploymentInfo = async (deploymentId: string) =>
    (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;

  /** A CODE_DEPLOY service on v1 whose group waits at Ready; the template's deploy job releasing `tag`. */
  async function release(service: string, tag: string) {
    const cd = await createCodeDeployService(world, { service, group: waitAtReady });
    await waitForTaskSetSteady(world, cd.cluster, cd.service);
    // Steady task sets, then their targets healthy behind the production listener: v1 answers there before the job.
    for (const deadline = Date.now() + 30_000; (await answers(`${cd.productionUrl}/`, 1))[0] !== 'v1';)
      if (Date.now() > deadline) throw new Error(`${service}: v1 does not answer in production`);
    const workflow = await template('ecs-deploy-codedeploy.yml', {
      ...AWS_VALUES,
      '<your-service>': cd.service,
      '<your-cluster>': cd.cluster,
      '<your-test-command>': 'make test',
      '<your-ecr-repository>': 'shop',
      '<your-application>': cd.applicationName,
      '<your-deployment-group>': cd.deploymentGroupName,
      'https://<your-test-listener-host>': cd.testUrl,
      'https://<your-production-host>': cd.productionUrl,
    });
    requireActions(workflow);
    const image = `${RELEASE_REPOSITORY}:${tag}`;
    const run = () =>
      runJob(workflow, job(workflow, 'deploy'), {
        env: { ...world.env(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA, GITHUB_RUN_ID: '1' },
        github: github(),
        fakes: thirdParty,
        needs: { build: { result: 'success', outputs: { image } } },
        // The production bake is 5 minutes in the template; seconds prove the same chain here.
        overrides: { 'deploy/verify': { bake: '2s' } },
      });
    const from = world.calls.length;
    // Production's answers while the job runs: which revision served it.
    const { result, answers: production } = await trafficDuring(`${cd.productionUrl}/`, run);
    const step = (name: string) => result.steps.find((s) => s.step === name) as StepRecord;
    /** How often the job called a CodeDeploy operation that changes a deployment. */
    const calls = (operation: string) => world.calls.slice(from).filter((call) => call.operation === operation).length;
    const changes = () => ({
      create: calls('CreateDeployment'),
      continue: calls('ContinueDeployment'),
      stop: calls('StopDeployment'),
    });
    return { cd, result, production, step, changes };
  }

  test('a healthy release: paused at Ready, continued by the gate, followed into the termination wait, verified in production', async () => {
    const { cd, result, production, step, changes } = await release('cd-tpl-good', 'v2');

    expect(failures(result)).toEqual([]);
    const id = step('deploy').outputs['codedeploy-deployment-id'];
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(step('deploy').outputs).toMatchObject({ status: 'paused', 'previous-task-definition-arn': cd.taskDefinitionArn });
    expect(step('gate').inputs).toMatchObject({ 'continue-deployment': id, url: `${cd.testUrl}/health` });
    expect(step('gate').outputs).toMatchObject({ healthy: 'true', 'deployment-action': 'continued' });
    expect(step('follow').inputs['codedeploy-deployment-id']).toBe(id);
    expect(step('follow').outputs.status).toBe('baking');
    expect(step('follow').outputs['task-definition-arn']).toBe(step('deploy').outputs['task-definition-arn']);
    expect(step('verify').inputs).toMatchObject({
      url: `${cd.productionUrl}/health`,
      'task-definition': step('deploy').outputs['task-definition-arn'],
    });
    expect(step('verify').outputs.healthy).toBe('true');
    expect(step('rollback').outcome).toBe('skipped');
    expect(changes()).toEqual({ create: 1, continue: 1, stop: 0 });
    expect(step('Record what shipped').summary).toContain(
      `| ${step('deploy').outputs['task-definition-arn']} | ${cd.taskDefinitionArn} | ${id} | continued | baking | true | false |`,
    );
    // The job ends in the termination wait, production on the new revision, the original still kept.
    expect((await deploymentInfo(id)).status).toBe('InProgress');
    expect(await answers(`${cd.productionUrl}/`, 3)).toEqual(['v2', 'v2', 'v2']);
    // Production was served throughout, by the original revision and then the new one, never failing.
    expect(production.filter((answer) => answer !== 'v1' && answer !== 'v2')).toEqual([]);
  }, 120_000);

  test('a release failing at the test gate: stopped with rollback before production sees it, the job fails for the gate alone', async () => {
    const { cd, result, production, step, changes } = await release('cd-tpl-gate', 'v2-sick-on-8080');

    expect(result.result).toBe('failure');
    expect(failures(result).map((failure) => failure.split(':')[0])).toEqual(['gate']);
    expect(step('deploy').outputs.status).toBe('paused');
    expect(step('gate').outputs).toMatchObject({ healthy: 'false', 'deployment-action': 'rolled-back' });
    expect(step('follow').outcome).toBe('skipped');
    expect(step('verify').outcome).toBe('skipped');
    // CodeDeploy rolls back on the gate's stop (here done before the step starts; under way, it is watched): auto-rollback
    // starts nothing on top of it.
    expect(step('rollback').outcome).toBe('success');
    expect(step('rollback').inputs['task-definition']).toBe(cd.taskDefinitionArn);
    expect(step('rollback').outputs['rolled-back']).toBe('false');
    expect(step('rollback').run?.log).toMatch(/::notice::Nothing to roll back: (CodeDeploy already rolled )?cd-tpl-gate /);
    expect(changes()).toEqual({ create: 1, continue: 0, stop: 1 });
    // The report falls back to the first deploy's status when the follow step did not run.
    const id = step('deploy').outputs['codedeploy-deployment-id'];
    expect(step('Record what shipped').summary).toContain(`| ${id} | rolled-back | paused |  | false |`);
    const stopped = await deploymentInfo(id);
    expect(stopped.status).toBe('Stopped');
    expect((await deploymentInfo(stopped.rollbackInfo?.rollbackDeploymentId as string)).status).toBe('Succeeded');
    // Not one production request reached the new revision.
    expect(production.length).toBeGreaterThan(20);
    expect(production.filter((answer) => answer !== 'v1')).toEqual([]);
  }, 120_000);

  test('a release failing in production during the termination wait: auto-rollback stops it, the original serves again', async () => {
    const { cd, result, production, step, changes } = await release('cd-tpl-prod', 'v2-sick-on-80');

    expect(result.result).toBe('failure');
    expect(failures(result).map((failure) => failure.split(':')[0])).toEqual(['verify']);
    expect(step('gate').outputs['deployment-action']).toBe('continued');
    expect(step('follow').outputs.status).toBe('baking');
    expect(step('verify').outputs.healthy).toBe('false');
    expect(step('rollback').outcome).toBe('success');
    expect(step('rollback').outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': cd.taskDefinitionArn });
    expect(step('rollback').run?.log).toMatch(
      /StopDeployment \(autoRollbackEnabled\) of CodeDeploy deployment d-\w+, still in flight \(production rerouted, in its termination wait\)/,
    );
    expect(changes()).toEqual({ create: 1, continue: 1, stop: 1 });
    expect(step('Record what shipped').summary).toContain('| continued | baking | false | true |');
    expect((await deploymentInfo(step('deploy').outputs['codedeploy-deployment-id'])).status).toBe('Stopped');
    // The original task set was kept through the termination wait: it serves production again at once.
    expect(await answers(`${cd.productionUrl}/`, 3)).toEqual(['v1', 'v1', 'v1']);
    expect(production).toContain('v2-sick-on-80');
    expect(production.at(-1)).toBe('v1');
  }, 120_000);
});

test('README shows the main starter workflow whole, as it is', () => {
  const readme = readFileSync('README.md', 'utf8');
  expect(readme).toContain(`## Starter workflows`);
  expect(readme).toContain('```yaml\n' + readFileSync('workflows-templates/ecs-deploy.yml', 'utf8') + '```');
});
