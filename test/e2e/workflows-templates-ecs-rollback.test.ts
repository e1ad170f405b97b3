import { describe as group, expect, test } from '@jest/globals';
import { type Sandbox } from '@ecs-deploy/sandbox';
import { createService, describe, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { runJob } from '../support/workflow-runner';
import {
  thirdParty,
  useTemplateSandbox,
  runnerEnv,
  AWS_VALUES,
  template,
  job,
  github,
  failures,
  requireActions,
} from '../support/workflow-templates';

let sandbox: Sandbox;
useTemplateSandbox((started) => ({ sandbox } = started));

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
      env: runnerEnv(sandbox),
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
      env: runnerEnv(sandbox),
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
