import { describe as group, expect, test } from '@jest/globals';
import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
  type CreateDeploymentGroupCommandInput,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { answers, blueGreenCatalog, registerRevision } from '../support/blue-green';
import { codeDeployClient, createCodeDeployDeployment, createCodeDeployService, type CodeDeployService } from '../support/codedeploy';
import { errorsOf, runBundledAction } from '../support/run-action';
import { until } from '../support/until';
import { useSandbox } from '../support/use-sandbox';

// CodeDeploy's minutes at a fiftieth: a 60-minute ready gate or termination wait is 72 s; the actions poll in real seconds.
const sandbox = useSandbox({ timeScale: 0.02, catalog: blueGreenCatalog() });
const codedeploy = () => codeDeployClient(sandbox);
const run = (inputs: Record<string, string>) => runBundledAction('auto-rollback', inputs, { env: sandbox.env() });
const calls = (operation: string) => sandbox.calls.filter((call) => call.operation === operation).length;

const HOUR = 60;
const blueGreen = (ready: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT', terminationWaitTimeInMinutes: number) => ({
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: ready, waitTimeInMinutes: ready === 'STOP_DEPLOYMENT' ? HOUR : 0 },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes },
  },
});

/** A CODE_DEPLOY service on v1, its one task set steady and answering on the production listener. */
async function serviceOnV1(service: string, group: Partial<CreateDeploymentGroupCommandInput>) {
  const cd = await createCodeDeployService(sandbox, { service, group });
  await until(async () => (await answers(`${cd.productionUrl}/`, 1))[0] === 'v1', 'v1 answers on the production listener');
  return cd;
}

/** A CodeDeploy deployment of image tag `tag`, created with the SDK as deploy-ecs would (its AppSpec, with its sha256). */
async function deploy(cd: CodeDeployService, tag: string, deploymentConfigName?: string): Promise<string> {
  const taskDefinition = await registerRevision(sandbox, cd, tag);
  return createCodeDeployDeployment(sandbox, cd, taskDefinition, deploymentConfigName);
}

async function observe(cd: CodeDeployService, deploymentId: string): Promise<{ info: DeploymentInfo; target?: ECSTarget }> {
  const info = (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = await codedeploy()
    .send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` }))
    .then((answer) => answer.deploymentTarget?.ecsTarget)
    .catch(() => undefined);
  return { info, target };
}

const greenWeight = (target?: ECSTarget) => target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight ?? 0;
const rollBack = (cd: CodeDeployService) => ({
  cluster: cd.cluster,
  service: cd.service,
  // deploy-ecs's previous-task-definition-arn: the fixture's v1 was never deployed through CodeDeploy.
  'task-definition': cd.taskDefinitionArn,
  reason: 'verify-health failed',
});

/** Production after the rollback: every answer v1, none from the replacement. */
const production = (cd: CodeDeployService) => answers(`${cd.productionUrl}/`, 10);

group('auto-rollback on CODE_DEPLOY services', () => {
  test('a release held at Ready is stopped with StopDeployment; the rollback deployment is watched to Succeeded and blue keeps all traffic', async () => {
    const cd = await serviceOnV1('cdrb-ready', blueGreen('STOP_DEPLOYMENT', HOUR));
    const release = await deploy(cd, 'v2');
    await until(async () => (await observe(cd, release)).info.status === 'Ready', 'the release is Ready');
    const creates = calls('CreateDeployment');

    const rolled = await run(rollBack(cd));

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': cd.taskDefinitionArn });
    expect(rolled.log).toMatch(/StopDeployment \(autoRollbackEnabled\) of CodeDeploy deployment d-\w+, still in flight \(Ready/);
    expect(calls('CreateDeployment')).toBe(creates);
    const stopped = (await observe(cd, release)).info;
    expect(stopped.status).toBe('Stopped');
    expect((await observe(cd, stopped.rollbackInfo?.rollbackDeploymentId as string)).info.status).toBe('Succeeded');
    expect(await production(cd)).toEqual(Array(10).fill('v1'));
  });

  test('a release in its traffic shift is stopped, and blue takes all production traffic again', async () => {
    const cd = await serviceOnV1('cdrb-shift', blueGreen('CONTINUE_DEPLOYMENT', HOUR));
    const release = await deploy(cd, 'v2', 'CodeDeployDefault.ECSCanary10Percent15Minutes');
    await until(async () => greenWeight((await observe(cd, release)).target) === 10, '10% of production on the replacement');

    const rolled = await run(rollBack(cd));

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs['rolled-back']).toBe('true');
    expect(rolled.log).toMatch(/StopDeployment \(autoRollbackEnabled\).*at AllowTraffic/);
    expect(await production(cd)).toEqual(Array(10).fill('v1'));
  });

  test('in the termination wait (production on green, blue kept), the stop puts blue back', async () => {
    const cd = await serviceOnV1('cdrb-wait', blueGreen('CONTINUE_DEPLOYMENT', HOUR));
    const release = await deploy(cd, 'v2');
    await until(async () => (await observe(cd, release)).target?.status === 'Succeeded', 'the termination wait began');
    expect(await answers(`${cd.productionUrl}/`, 3)).toEqual(['v2', 'v2', 'v2']);

    const rolled = await run(rollBack(cd));

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.log).toMatch(/still in flight \(production rerouted, in its termination wait\)/);
    expect((await observe(cd, release)).info.status).toBe('Stopped');
    expect(await production(cd)).toEqual(Array(10).fill('v1'));
  });

  test('after a release Succeeded (blue gone), a new deployment of the previous revision runs the whole deployment again', async () => {
    const cd = await serviceOnV1('cdrb-done', blueGreen('CONTINUE_DEPLOYMENT', 0));
    const release = await deploy(cd, 'v2');
    await until(async () => (await observe(cd, release)).info.status === 'Succeeded', 'the release Succeeded');
    const stops = calls('StopDeployment');

    const rolled = await run(rollBack(cd));

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ 'rolled-back': 'true', 'task-definition-arn': cd.taskDefinitionArn });
    expect(rolled.log).toMatch(/CreateDeployment of .*the whole deployment runs again/);
    expect(rolled.log).toMatch(/runs the whole deployment again/);
    expect(calls('StopDeployment')).toBe(stops);
    expect(await production(cd)).toEqual(Array(10).fill('v1'));
  });

  test('without a task-definition input, the target is the last revision a Succeeded deployment put in production, never one that was rolled back', async () => {
    const cd = await serviceOnV1('cdrb-history', blueGreen('CONTINUE_DEPLOYMENT', 0));
    const good = await deploy(cd, 'v2');
    await until(async () => (await observe(cd, good)).info.status === 'Succeeded', 'v2 Succeeded');
    // v3 was stopped with rollback (an alarm, a person): CodeDeploy's rollback put v2 back; v3 never worked.
    const bad = await deploy(cd, 'v3');
    await until(async () => (await observe(cd, bad)).info.status === 'InProgress', 'v3 under way');
    await codedeploy().send(new StopDeploymentCommand({ deploymentId: bad, autoRollbackEnabled: true }));
    await until(async () => {
      const rollbackId = (await observe(cd, bad)).info.rollbackInfo?.rollbackDeploymentId;
      return rollbackId !== undefined && (await observe(cd, rollbackId)).info.status === 'Succeeded';
    }, "v3's rollback Succeeded");
    const release = await deploy(cd, 'v4', 'CodeDeployDefault.ECSCanary10Percent15Minutes');
    await until(async () => greenWeight((await observe(cd, release)).target) === 10, '10% of production on v4');

    const rolled = await run({ cluster: cd.cluster, service: cd.service, reason: 'verify-health failed' });

    expect(errorsOf(rolled)).toEqual([]);
    expect(rolled.outputs['task-definition-arn']).toMatch(/cdrb-history:2$/);
    expect(rolled.log).toMatch(
      /chosen by the deployment history \(CodeDeploy rollback deployment d-\w+ returned production to cdrb-history:2/,
    );
    expect(await production(cd)).toEqual(Array(10).fill('v2'));
  });

  test('the permissions documented for CODE_DEPLOY services are enough, in flight and after a finished release', async () => {
    const allowed = [
      'ecs:DescribeServices',
      'ecs:DescribeTaskDefinition',
      'ecs:ListTasks',
      'ecs:DescribeTasks',
      'codedeploy:GetDeploymentGroup',
      'codedeploy:ListDeployments',
      'codedeploy:BatchGetDeployments',
      'codedeploy:GetDeployment',
      'codedeploy:GetDeploymentTarget',
      'codedeploy:StopDeployment',
      'codedeploy:CreateDeployment',
      // CreateDeployment needs these too (CodeDeploy permissions reference, footnote 1).
      'codedeploy:GetDeploymentConfig',
      'codedeploy:GetApplicationRevision',
    ];
    const runAs = async (cd: CodeDeployService, key: string) => {
      sandbox.setIamPolicy(
        { Statement: [{ Effect: 'Allow', Action: allowed, Resource: '*' }], role: 'deploy', session: 'GitHubActions' },
        key,
      );
      const rolled = await runBundledAction('auto-rollback', rollBack(cd), { env: { ...sandbox.env(), AWS_ACCESS_KEY_ID: key } });
      const calls = sandbox.calls.filter((call) => call.accessKeyId === key);
      return { rolled, used: new Set(calls.flatMap((call) => [call.iamAction, ...(call.iamAlso ?? []).map((also) => also.action)])) };
    };
    const inFlight = await serviceOnV1('cdrb-iam-stop', blueGreen('STOP_DEPLOYMENT', HOUR));
    const held = await deploy(inFlight, 'v2');
    await until(async () => (await observe(inFlight, held)).info.status === 'Ready', 'the release is Ready');
    const finished = await serviceOnV1('cdrb-iam-new', blueGreen('CONTINUE_DEPLOYMENT', 0));
    const done = await deploy(finished, 'v2');
    await until(async () => (await observe(finished, done)).info.status === 'Succeeded', 'the release Succeeded');

    const stopped = await runAs(inFlight, 'AKIACDRBSTOP');
    const created = await runAs(finished, 'AKIACDRBNEW');

    expect(errorsOf(stopped.rolled)).toEqual([]);
    expect(errorsOf(created.rolled)).toEqual([]);
    expect(stopped.used.has('codedeploy:StopDeployment')).toBe(true);
    expect(created.used.has('codedeploy:CreateDeployment')).toBe(true);
    // Each CodeDeploy permission is called on these paths; ecs:DescribeTasks only for a rollback's stopped tasks.
    const used = new Set([...stopped.used, ...created.used]);
    expect(allowed.filter((action) => action.startsWith('codedeploy:') && !used.has(action))).toEqual([]);
  });
});
