import { describe as group, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Sandbox } from '@ecs-deploy/sandbox';
import { type BuildInfra } from '../support/build-infra';
import { createService } from '../support/ecs-fixtures';
import { runJob } from '../support/workflow-runner';
import {
  thirdParty,
  useTemplateSandbox,
  template,
  job,
  github,
  failures,
  requireActions,
  SERVICES_VALUES,
  useBuildChain,
  buildEnv,
} from '../support/workflow-templates';

let healthUrl: string;
useTemplateSandbox((started) => ({ healthUrl } = started));

// Real builds: build-push builds with the real dockerd and pushes to the real registry behind the sandbox's ECR,
// and the sandbox runs the pushed repository as a real process, so one image travels the whole chain.
group('full chains with real builds: ecs-deploy-services.yml', () => {
  let world: Sandbox;
  let infra: BuildInfra;
  let repository: string;
  let workspace: string;
  useBuildChain((chain) => ({ world, infra, repository, workspace } = chain));

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
      env: buildEnv({ world, infra }),
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
      env: buildEnv({ world, infra }),
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
