import { describe as group, expect, test } from '@jest/globals';
import { GetDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { answers } from '../support/blue-green';
import { codeDeployClient, createCodeDeployService } from '../support/codedeploy';
import { waitForTaskSetSteady } from '../support/ecs-fixtures';
import { template, failures, releaseValues, runRelease, useReleaseSandbox } from '../support/workflow-templates';

group('ecs-deploy-codedeploy.yml', () => {
  // CodeDeploy's minutes at a fiftieth: the group's 120-minute ready wait and termination wait are 144 s each, longer
  // than the whole job here (gate, follow, the production check and the rollback's start), as the template asks of
  // them, with room for a loaded CI machine (72 s was once outlasted there).
  const world = useReleaseSandbox();
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
    // A grace period, as a real service has: at a fiftieth, the load balancer's checks (every 5 s, unhealthy after 2)
    // would otherwise stop a replacement task that takes more than 0.2 s to listen on a loaded machine, and fail the
    // deploy step at Install before the gate is reached.
    const cd = await createCodeDeployService(world, { service, group: waitAtReady, healthCheckGracePeriodSeconds: 300 });
    await waitForTaskSetSteady(world, cd.cluster, cd.service);
    // Steady task sets, then their targets healthy behind the production listener: v1 answers there before the job.
    for (const deadline = Date.now() + 30_000; (await answers(`${cd.productionUrl}/`, 1))[0] !== 'v1';)
      if (Date.now() > deadline) throw new Error(`${service}: v1 does not answer in production`);
    const workflow = await template('ecs-deploy-codedeploy.yml', {
      ...releaseValues(cd),
      '<your-application>': cd.applicationName,
      '<your-deployment-group>': cd.deploymentGroupName,
    });
    const { result, production, step, calls } = await runRelease(world, workflow, tag, cd.productionUrl);
    /** How often the job called a CodeDeploy operation that changes a deployment. */
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
