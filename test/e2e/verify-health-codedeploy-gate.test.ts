import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetDeploymentCommand, GetDeploymentTargetCommand, type DeploymentInfo, type ECSTarget } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { answers, blueGreenCatalog, registerRevision, trafficDuring } from '../support/blue-green';
import { codeDeployClient, createCodeDeployDeployment, createCodeDeployService, type CodeDeployService } from '../support/codedeploy';
import { ecsClient } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';

// verify-health as the gate of a CodeDeploy blue/green deployment whose group waits at Ready (deploymentReadyOption
// STOP_DEPLOYMENT): it waits for Ready, probes the test listener, and answers by its verdict, ContinueDeployment
// READY_WAIT or StopDeployment with rollback. The deployments are created here with the SDK, as any tool may.

let sandbox: Sandbox;

beforeAll(async () => {
  // One CodeDeploy minute is 3 s here: the ready wait of 60 minutes outlasts every test, the termination wait of 5 is 15 s.
  sandbox = await start({ timeScale: 0.05, catalog: blueGreenCatalog() });
});
afterAll(async () => {
  await sandbox?.stop();
});

const codedeploy = () => codeDeployClient(sandbox);

const READY_GATE = {
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT' as const, waitTimeInMinutes: 60 },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes: 5 },
  },
};

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A CODE_DEPLOY service whose one PRIMARY task set runs v1 steadily. */
async function steadyService(name: string, group: Parameters<typeof createCodeDeployService>[1]['group'] = READY_GATE) {
  const cd = await createCodeDeployService(sandbox, { service: name, group });
  await until(`${name} steady`, async () => {
    const [service] =
      (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster: cd.cluster, services: [cd.service] }))).services ?? [];
    const [only, ...others] = service?.taskSets ?? [];
    return only?.stabilityStatus === 'STEADY_STATE' && others.length === 0 ? service : undefined;
  });
  return cd;
}

/** CreateDeployment of a new revision (image tag `tag`), its AppSpec as deploy-ecs would write it. */
async function release(cd: CodeDeployService, tag: string, environment: Record<string, string> = {}) {
  const taskDefinition = await registerRevision(sandbox, cd, tag, environment);
  return { id: await createCodeDeployDeployment(sandbox, cd, taskDefinition), taskDefinition };
}

async function observe(cd: CodeDeployService, deploymentId: string): Promise<{ info: DeploymentInfo; target?: ECSTarget }> {
  const info = (await codedeploy().send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = (await codedeploy().send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })))
    .deploymentTarget?.ecsTarget;
  return { info, target };
}

const FINISHED = ['Succeeded', 'Failed', 'Stopped'];
const finished = (cd: CodeDeployService, id: string, timeoutMs?: number) =>
  until(
    `deployment ${id} over`,
    async () => {
      const { info } = await observe(cd, id);
      return FINISHED.includes(info.status ?? '') ? info : undefined;
    },
    timeoutMs,
  );
/** Production rerouted, the original kept: the target Succeeded while the deployment is still InProgress. */
const terminationWait = (cd: CodeDeployService, id: string) =>
  until(`deployment ${id} in its termination wait`, async () => {
    const seen = await observe(cd, id);
    return seen.target?.status === 'Succeeded' && seen.info.status === 'InProgress' ? seen : undefined;
  });

const callsOf = (from: number, ...operations: string[]) =>
  sandbox.calls
    .slice(from)
    .filter((call) => operations.includes(call.operation))
    .map((call) => call.operation);
const warningsOf = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('::warning')).map((line) => line.text);

const gate = (cd: CodeDeployService, id: string, extra: Record<string, string> = {}) =>
  runBundledAction(
    'verify-health',
    {
      url: `${cd.testUrl}/`,
      interval: '0.2s',
      timeout: '20s',
      'success-threshold': '3',
      'failure-threshold': '3',
      cluster: cd.cluster,
      service: cd.service,
      'continue-deployment': id,
      ...extra,
    },
    { env: sandbox.env() },
  );

describe('verify-health answers a CodeDeploy deployment at Ready', () => {
  test('a healthy release is continued (READY_WAIT), and production then moves to it', async () => {
    const cd = await steadyService('cdgate-good');
    const { id, taskDefinition } = await release(cd, 'v2');
    const from = sandbox.calls.length;

    const run = await gate(cd, id, { 'body-contains': 'v2', 'task-definition': taskDefinition });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['deployment-action']).toBe('continued');
    expect(run.log).toMatch(new RegExp(`CodeDeploy deployment ${id} is Ready: test traffic reaches the replacement task set`));
    expect(run.summary).toContain('Deployment continued');
    expect(callsOf(from, 'ContinueDeployment', 'StopDeployment')).toEqual(['ContinueDeployment']);
    await terminationWait(cd, id);
    expect(await answers(`${cd.productionUrl}/`, 3)).toEqual(['v2', 'v2', 'v2']);
  });

  test('a release answering 500 on the test listener is stopped with rollback; no production request reaches it', async () => {
    const cd = await steadyService('cdgate-bad');

    const { result: run, answers: production } = await trafficDuring(`${cd.productionUrl}/`, async () => {
      const { id } = await release(cd, 'v2', { RESPONSE_STATUS: '500' });
      const verdict = await gate(cd, id);
      return { ...verdict, id, info: await finished(cd, id) };
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.outputs['deployment-action']).toBe('rolled-back');
    expect(errorsOf(run)[0]).toMatch(
      new RegExp(
        `after 3 failing rounds in a row: .*500.* CodeDeploy deployment ${run.id} was stopped with rollback \\(StopDeployment autoRollbackEnabled\\)\\.$`,
      ),
    );
    expect(run.info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    // autoRollbackEnabled: CodeDeploy rolls back in a deployment of its own.
    expect(run.info.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    // Production was served all along, by the original revision only.
    expect(production.length).toBeGreaterThan(20);
    expect(production.filter((answer) => answer !== 'v1')).toEqual([]);
  });

  test('a deployment already past Ready is not answered: none, with a warning saying where it is', async () => {
    // The fixture's group does not wait at Ready: production moves at once, and the termination wait keeps the original.
    const cd = await steadyService('cdgate-past', {});
    const { id } = await release(cd, 'v2');
    await terminationWait(cd, id);
    const from = sandbox.calls.length;

    const run = await gate(cd, id, { url: `${cd.productionUrl}/` });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['deployment-action']).toBe('none');
    expect(warningsOf(run).join('\n')).toMatch(
      new RegExp(`CodeDeploy deployment ${id} does not wait at Ready: production traffic was rerouted to the replacement task set`),
    );
    expect(callsOf(from, 'ContinueDeployment', 'StopDeployment')).toEqual([]);
  });

  test("a typo'd deployment id is refused naming the input, before any call", async () => {
    const from = sandbox.calls.length;

    const run = await runBundledAction(
      'verify-health',
      { url: 'http://127.0.0.1:9/', cluster: 'cd', service: 'web', 'continue-deployment': 'd-A1B2C3D4' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/Input 'continue-deployment' is "d-A1B2C3D4", which is not a CodeDeploy deployment id/);
    expect(sandbox.calls.slice(from)).toEqual([]);
  });
});

describe('verify-health judges a CODE_DEPLOY service on its task sets', () => {
  test('steady on the release through the termination wait, the original task set kept without production traffic', async () => {
    const cd = await steadyService('cdsteady', {});
    const { id, taskDefinition } = await release(cd, 'v2');
    await terminationWait(cd, id);

    const run = await runBundledAction(
      'verify-health',
      {
        url: `${cd.productionUrl}/`,
        interval: '0.2s',
        timeout: '10s',
        cluster: cd.cluster,
        service: cd.service,
        'task-definition': taskDefinition,
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    // The job summary's signal table says what is steady, and what the termination wait keeps.
    expect(run.summary).toMatch(/kept without production traffic through CodeDeploy deployment d-[A-Z0-9]{9}'s termination wait/);
  });

  test('not steady while a deployment waits at Ready: production is still on the original task set', async () => {
    const cd = await steadyService('cdunsteady');
    const { id, taskDefinition } = await release(cd, 'v2');
    await until(`deployment ${id} Ready`, async () => ((await observe(cd, id)).info.status === 'Ready' ? true : undefined));

    const run = await runBundledAction(
      'verify-health',
      {
        url: `${cd.productionUrl}/`,
        interval: '0.2s',
        timeout: '3s',
        cluster: cd.cluster,
        service: cd.service,
        'task-definition': taskDefinition,
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.log).toMatch(/the PRIMARY task set \S+ runs \S+:1, not \S+:2/);
  });
});

describe('with end-termination-wait, verify-health in production answers the termination wait', () => {
  const inProduction = (cd: CodeDeployService, id: string) => gate(cd, id, { url: `${cd.productionUrl}/`, 'end-termination-wait': 'true' });

  test('a healthy release ends it: CodeDeploy terminates the original task set now, not after its 5 minutes', async () => {
    const cd = await steadyService('cdend-good', {});
    const { id, taskDefinition } = await release(cd, 'v2');
    await terminationWait(cd, id);
    const from = sandbox.calls.length;

    const run = await inProduction(cd, id);

    expect(run.exitCode).toBe(0);
    expect(run.outputs['deployment-action']).toBe('continued');
    expect(run.summary).toContain('Termination wait ended');
    expect(callsOf(from, 'ContinueDeployment', 'StopDeployment')).toEqual(['ContinueDeployment']);
    // The group keeps the original 5 minutes (15 s here); ended, the deployment succeeds within a few passes.
    const info = await finished(cd, id, 3_000);
    expect(info.status).toBe('Succeeded');
    const [service] =
      (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster: cd.cluster, services: [cd.service] }))).services ?? [];
    expect(service.taskSets?.map((t) => [t.status, t.taskDefinition])).toEqual([['PRIMARY', taskDefinition]]);
  });

  test('a release answering 500 in production is stopped with rollback: production returns to the original it kept', async () => {
    const cd = await steadyService('cdend-bad', {});
    const { id } = await release(cd, 'v2', { RESPONSE_STATUS: '500' });
    await terminationWait(cd, id);

    const run = await inProduction(cd, id);

    expect(run.exitCode).toBe(1);
    expect(run.outputs['deployment-action']).toBe('rolled-back');
    const info = await finished(cd, id);
    expect(info.status).toBe('Stopped');
    const rollback = info.rollbackInfo?.rollbackDeploymentId as string;
    await finished(cd, rollback);
    expect(await answers(`${cd.productionUrl}/`, 3)).toEqual(['v1', 'v1', 'v1']);
  });
});

describe('the permissions the gate needs, as the README lists them', () => {
  const GATE_PERMISSIONS = [
    'ecs:DescribeServices',
    'ecs:ListTasks',
    'ecs:DescribeTasks',
    'elasticloadbalancing:DescribeTargetHealth',
    'codedeploy:GetDeployment',
    'codedeploy:GetDeploymentTarget',
    'codedeploy:ContinueDeployment',
    'codedeploy:StopDeployment',
  ];
  let keys = 0;
  /** Runs the gate signed with a key of its own, allowed `actions` only; answers the run and its calls. */
  async function gateAs(cd: CodeDeployService, id: string, actions: string[]) {
    const key = `AKIACDGATE${++keys}`;
    sandbox.setIamPolicy(
      { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }], role: 'deploy', session: 'GitHubActions' },
      key,
    );
    const run = await runBundledAction(
      'verify-health',
      { url: `${cd.testUrl}/`, interval: '0.2s', timeout: '20s', cluster: cd.cluster, service: cd.service, 'continue-deployment': id },
      { env: { ...sandbox.env(), AWS_ACCESS_KEY_ID: key } },
    );
    return { run, calls: sandbox.calls.filter((call) => call.accessKeyId === key) };
  }

  test('are enough: the gate continues a healthy release, and no call of it is refused', async () => {
    const cd = await steadyService('cdgate-iam');
    const { id } = await release(cd, 'v2');

    const { run, calls } = await gateAs(cd, id, GATE_PERMISSIONS);

    expect(run.outputs['deployment-action']).toBe('continued');
    expect(calls.filter((call) => call.accessDenied)).toEqual([]);
  });

  test('without codedeploy:ContinueDeployment the step fails naming it, and the deployment stays Ready', async () => {
    const cd = await steadyService('cdgate-denied');
    const { id } = await release(cd, 'v2');

    const { run } = await gateAs(
      cd,
      id,
      GATE_PERMISSIONS.filter((action) => action !== 'codedeploy:ContinueDeployment'),
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['deployment-action']).toBe('none');
    expect(errorsOf(run)[0]).toMatch(
      /grant the role codedeploy:ContinueDeployment so verify-health can answer the deployment\. CodeDeploy deployment \S+ stays Ready/,
    );
    expect((await observe(cd, id)).info.status).toBe('Ready');
  });
});
