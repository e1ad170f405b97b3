import { describe as group, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { type Sandbox } from '@ecs-deploy/sandbox';
import { type BuildInfra } from '../support/build-infra';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { runJob, type StepRecord } from '../support/workflow-runner';
import {
  SHA,
  thirdParty,
  useTemplateSandbox,
  runnerEnv,
  AWS_VALUES,
  template,
  job,
  github,
  failures,
  requireActions,
  useBuildChain,
  buildEnv,
} from '../support/workflow-templates';

let sandbox: Sandbox;
let healthUrl: string;
useTemplateSandbox((started) => ({ sandbox, healthUrl } = started));

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
      env: runnerEnv(sandbox),
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

// Real builds: build-push builds with the real dockerd and pushes to the real registry behind the sandbox's ECR,
// and the sandbox runs the pushed repository as a real process, so one image travels the whole chain.
group('full chains with real builds: ecs-deploy.yml', () => {
  let world: Sandbox;
  let infra: BuildInfra;
  let repository: string;
  let workspace: string;
  useBuildChain((chain) => ({ world, infra, repository, workspace } = chain));

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
    const options = {
      env: buildEnv({ world, infra }),
      github: github(),
      fakes,
      cwd: workspace,
      overrides: { 'production/verify': { bake: '3s' } },
    };

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
      const options = { env: buildEnv({ world, infra }), github: github(), fakes: thirdParty, cwd: workspace };
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
});
