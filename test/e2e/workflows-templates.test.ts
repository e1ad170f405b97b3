import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { type Sandbox } from '@ecs-deploy/sandbox';
import { actionMetadata, hasBundle } from '../support/action-metadata';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { templateFiles } from '../support/workflow-files';
import { Expression, loadWorkflow, suiteActionOf, type Workflow, type WorkflowJob } from '../support/workflow-model';
import { outputReads, runJob } from '../support/workflow-runner';
import { suiteActions, SHA, thirdParty, useTemplateSandbox, runnerEnv, fill, job, github, failures } from '../support/workflow-templates';

const SHA_PIN = /^[^/\s]+\/[^@\s]+@[0-9a-f]{40}$/;
const templates = templateFiles();
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

let sandbox: Sandbox;
useTemplateSandbox((started) => ({ sandbox } = started));

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
      env: runnerEnv(sandbox),
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
      env: runnerEnv(sandbox),
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

test('README shows the main starter workflow whole, as it is', () => {
  const readme = readFileSync('README.md', 'utf8');
  expect(readme).toContain(`## Starter workflows`);
  expect(readme).toContain('```yaml\n' + readFileSync('workflows-templates/ecs-deploy.yml', 'utf8') + '```');
});
