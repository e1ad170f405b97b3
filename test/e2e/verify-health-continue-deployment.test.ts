import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
  type DeploymentLifecycleHook,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import {
  answerLabel,
  answers,
  blueGreenCatalog,
  createBlueGreenService,
  registerRevision,
  watchAnswers,
  type BlueGreenService,
} from '../support/blue-green';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';

// verify-health as the gate of a blue/green deployment: it waits for the PAUSE hook at POST_TEST_TRAFFIC_SHIFT,
// probes the test listener, and answers the hook (ContinueServiceDeployment) by its verdict. The deployment is
// started here with the SDK, as any tool may start it.

const PAUSE_AFTER_TEST_TRAFFIC: DeploymentLifecycleHook = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' },
};
const FINISHED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

let sandbox: Sandbox;
let ecs: ECSClient;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05, catalog: blueGreenCatalog() });
  ecs = new ECSClient(clientConfig(sandbox));
});
afterAll(async () => {
  await sandbox?.stop();
});

/**
 * Starts the deployment of image tag `tag` of the fixture's program, with the lifecycle hooks given; answers its
 * service deployment ARN. `{ RESPONSE_STATUS: '500' }` makes a release whose /health (the target groups' check)
 * passes while every other path answers 500.
 */
async function release(
  bg: BlueGreenService,
  tag: string,
  lifecycleHooks: DeploymentLifecycleHook[],
  environment: Record<string, string> = {},
) {
  const taskDefinition = await registerRevision(sandbox, bg, tag, environment);
  const { service } = await ecs.send(
    new UpdateServiceCommand({
      cluster: bg.cluster,
      service: bg.service,
      taskDefinition,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks },
    }),
  );
  const described = await ecs.send(new DescribeServicesCommand({ cluster: bg.cluster, services: [bg.service] }));
  const arn = described.services?.[0]?.currentServiceDeployment ?? service?.currentServiceDeployment;
  if (!arn) throw new Error(`no service deployment started for ${bg.service}`);
  return arn;
}

async function statusOf(arn: string): Promise<string | undefined> {
  const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return answer.serviceDeployments?.[0]?.status;
}

/** Polls the service deployment until it has finished; answers its status. */
async function finished(arn: string, timeoutMs = 15_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusOf(arn);
    if (FINISHED.includes(status ?? '') || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Production traffic while `during` runs: one request after another through the production listener, each
 * answer's body (the image tag) or `<status>`; what answered anything but `from` reached another revision.
 */
async function productionTraffic<T>(bg: BlueGreenService, during: () => Promise<T>): Promise<{ result: T; answers: string[] }> {
  const traffic = watchAnswers(`${bg.productionUrl}/`);
  try {
    const result = await during();
    return { result, answers: (await traffic.stop()).map(answerLabel) };
  } finally {
    // Stopping twice is harmless; a failed `during` still ends the loop.
    await traffic.stop();
  }
}

const warningsOf = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('::warning')).map((line) => line.text);

const gate = (bg: BlueGreenService, arn: string, extra: Record<string, string> = {}) =>
  runBundledAction(
    'verify-health',
    {
      url: `${bg.testUrl}/`,
      interval: '0.2s',
      timeout: '20s',
      'success-threshold': '3',
      'failure-threshold': '3',
      cluster: bg.cluster,
      service: bg.service,
      'continue-deployment': arn,
      ...extra,
    },
    { env: sandbox.env() },
  );

describe('verify-health answers a PAUSE hook at POST_TEST_TRAFFIC_SHIFT', () => {
  test('a good release is continued, and the deployment then completes', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gate-good' });
    const arn = await release(bg, 'v2', [PAUSE_AFTER_TEST_TRAFFIC]);

    const run = await gate(bg, arn, { 'body-contains': 'v2' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['deployment-action']).toBe('continued');
    expect(run.log).toMatch(/PAUSE hook ecs-pause-\S+ of service deployment \S+ awaits action at POST_TEST_TRAFFIC_SHIFT/);
    expect(run.summary).toContain('Deployment continued');
    expect(await finished(arn)).toBe('SUCCESSFUL');
    // Production now reaches the new revision: the listener is where a request to green would show.
    expect(await answers(`${bg.productionUrl}/`, 3)).toEqual(['v2', 'v2', 'v2']);
  });

  test('a release answering 500 on the test listener is rolled back before any production request reaches it', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gate-bad' });

    const { result: run, answers: production } = await productionTraffic(bg, async () => {
      const arn = await release(bg, 'v2', [PAUSE_AFTER_TEST_TRAFFIC], { RESPONSE_STATUS: '500' });
      const verdict = await gate(bg, arn);
      return { ...verdict, status: await finished(arn) };
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.outputs['deployment-action']).toBe('rolled-back');
    expect(errorsOf(run)[0]).toMatch(
      /after 3 failing rounds in a row: .*500.* was rolled back at its PAUSE hook \(POST_TEST_TRAFFIC_SHIFT\)\.$/,
    );
    expect(run.status).toBe('ROLLBACK_SUCCESSFUL');
    // Production was served all along, by the old revision only.
    expect(production.length).toBeGreaterThan(20);
    expect(production.filter((answer) => answer !== 'v1')).toEqual([]);
  });

  test('a hook that expires while the check bakes is not answered: the verdict stands, the warning names what ECS did', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gate-expired' });
    // One minute of ECS time is 3 s here; the check takes longer, with its bake.
    const expiring = { ...PAUSE_AFTER_TEST_TRAFFIC, timeoutConfiguration: { timeoutInMinutes: 1, action: 'ROLLBACK' as const } };
    const arn = await release(bg, 'v2', [expiring]);

    const run = await gate(bg, arn, { bake: '4s' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['deployment-action']).toBe('none');
    const warnings = warningsOf(run).join('\n');
    expect(warnings).toMatch(/The PAUSE hook ecs-pause-\S+ expires in \d+(\.\d+)?m?s, before the verdict may come/);
    expect(warnings).toMatch(
      /found healthy, but the PAUSE hook ecs-pause-\S+ of service deployment \S+ was not answered \(CONTINUE\): .*ROLLBACK/,
    );
    expect(await finished(arn)).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('cancelled while probing: no answer is sent, and the step says the hook still awaits action', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gate-cancel' });
    const arn = await release(bg, 'v2', [PAUSE_AFTER_TEST_TRAFFIC]);
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'verify-health',
      { url: `${bg.testUrl}/`, interval: '0.2s', timeout: '20s', 'success-threshold': '30', 'continue-deployment': arn },
      { env: sandbox.env(), interrupt: { when: (line) => /round 2 /.test(line.text) } },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs['deployment-action']).toBe('none');
    expect(errorsOf(run)[0]).toMatch(
      /No answer was sent to the deployment\. The PAUSE hook ecs-pause-\S+ still awaits action: ECS takes its timeout action ROLLBACK at /,
    );
    expect(sandbox.calls.slice(callsBefore).filter((call) => call.operation === 'ContinueServiceDeployment')).toEqual([]);
    const [deployment] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments ?? [];
    expect(deployment.lifecycleHookDetails?.map((hook) => hook.status)).toEqual(['AWAITING_ACTION']);
  });

  describe('under a hostile ContinueServiceDeployment', () => {
    const answersSent = (from: number) => sandbox.calls.slice(from).filter((call) => call.operation === 'ContinueServiceDeployment');
    afterEach(() => sandbox.setFaults(undefined));

    test('throttled once: sent again after a re-read, continued', async () => {
      const bg = await createBlueGreenService(sandbox, { service: 'gate-throttled' });
      const arn = await release(bg, 'v2', [PAUSE_AFTER_TEST_TRAFFIC]);
      sandbox.setFaults({
        rules: [{ operation: 'ContinueServiceDeployment', count: 1, effect: { kind: 'error', code: 'ThrottlingException' } }],
      });
      const from = sandbox.calls.length;

      const run = await gate(bg, arn);

      expect(run.outputs['deployment-action']).toBe('continued');
      expect(answersSent(from)).toHaveLength(2);
      const between = sandbox.calls.slice(from).map((call) => call.operation);
      const [first, second] = between.flatMap((operation, index) => (operation === 'ContinueServiceDeployment' ? [index] : []));
      expect(between.slice(first, second)).toContain('DescribeServiceDeployments');
      expect(await finished(arn)).toBe('SUCCESSFUL');
    });

    test('its answer lost after ECS took it: not sent again, continued', async () => {
      const bg = await createBlueGreenService(sandbox, { service: 'gate-dropped' });
      const arn = await release(bg, 'v2', [PAUSE_AFTER_TEST_TRAFFIC]);
      sandbox.setFaults({ rules: [{ operation: 'ContinueServiceDeployment', count: 1, effect: { kind: 'drop', when: 'after' } }] });
      const from = sandbox.calls.length;

      const run = await gate(bg, arn);

      expect(run.outputs['deployment-action']).toBe('continued');
      expect(answersSent(from)).toHaveLength(1);
      expect(await finished(arn)).toBe('SUCCESSFUL');
    });

    test('refused for want of ecs:ContinueServiceDeployment: the step fails naming it, the hook still awaits', async () => {
      const bg = await createBlueGreenService(sandbox, { service: 'gate-denied' });
      const arn = await release(bg, 'v2', [PAUSE_AFTER_TEST_TRAFFIC]);
      sandbox.setFaults({ operations: ['ContinueServiceDeployment'], refuseWith: 'AccessDeniedException' });

      const run = await gate(bg, arn);

      expect(run.exitCode).toBe(1);
      expect(run.outputs.healthy).toBe('true');
      expect(run.outputs['deployment-action']).toBe('none');
      expect(errorsOf(run)[0]).toMatch(
        /grant the role ecs:ContinueServiceDeployment so verify-health can answer the hook\. The PAUSE hook \S+ still awaits action/,
      );
      expect(await statusOf(arn)).toBe('IN_PROGRESS');
    });
  });

  test('a deployment without a PAUSE hook is not answered: none, with a warning saying so', async () => {
    const bg = await createBlueGreenService(sandbox, { service: 'gate-none' });
    const arn = await release(bg, 'v2', []);

    // Production while the deployment goes on: the ECS signals are left out, only the answer to the hook is judged here.
    const run = await gate(bg, arn, { url: `${bg.productionUrl}/`, cluster: '', service: '' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['deployment-action']).toBe('none');
    expect(warningsOf(run).join('\n')).toMatch(
      /has no PAUSE hook awaiting action: its deployment configuration has no PAUSE lifecycle hook/,
    );
    expect(run.log).not.toMatch(/ContinueServiceDeployment/);
  });
});
