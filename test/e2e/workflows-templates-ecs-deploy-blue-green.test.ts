import { describe as group, expect, test } from '@jest/globals';
import { type DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import { answers, createBlueGreenService, serviceDeploymentEnded } from '../support/blue-green';
import { describe } from '../support/ecs-fixtures';
import { template, failures, releaseValues, runRelease, useReleaseSandbox } from '../support/workflow-templates';

group('ecs-deploy-blue-green.yml', () => {
  // ECS's intervals at a fiftieth: the service's 15-minute bake is 18 s, longer than the production check here.
  const world = useReleaseSandbox();
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
      // A grace period, as a real service has: at a fiftieth, the load balancer's checks would otherwise stop a new
      // task that takes more than 0.2 s to listen on a loaded machine, and fail the deploy step before the gate.
      healthCheckGracePeriodSeconds: 300,
      lifecycleHooks: pauseAfterTestTraffic,
      afterFirstDeployment: { bakeTimeInMinutes: 15 },
    });
    const workflow = await template('ecs-deploy-blue-green.yml', releaseValues(bg));
    const { result, production, step, calls } = await runRelease(world, workflow, tag, bg.productionUrl);
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
