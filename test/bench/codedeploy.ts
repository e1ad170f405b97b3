/**
 * CodeDeploy blue/green of CODE_DEPLOY services, real processes of the blue/green fixture's program behind the
 * sandbox's listeners (test/support/codedeploy.ts): how soon the SDK's waitUntilDeploymentSuccessful (what
 * aws-actions/amazon-ecs-deploy-task-definition waits with) and deploy-ecs's bundled dist learn that a deployment
 * Succeeded, how soon deploy-ecs reports a failed lifecycle event with its cause, and how long auto-rollback takes
 * (StopDeployment with rollback) until the original (blue) task set serves all production traffic again.
 * Registered in run.ts (BENCH_ONLY=codedeploy); `npx tsx test/bench/codedeploy.ts` runs it alone.
 *
 * What CodeDeploy did is read from the sandbox's history ('codedeploy-deployment-status',
 * 'codedeploy-lifecycle-event', 'codedeploy-traffic'). The sandbox runs CodeDeploy's and ECS's intervals at a
 * fiftieth (TIME_SCALE); the actions and the waiter run at their own pace, and the waiter's 15 s minimum delay is
 * real time, so it runs at most twice. A row whose action cannot do its part yet says why instead of a figure.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  CreateDeploymentCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  waitUntilDeploymentSuccessful,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { Sandbox, SandboxEvent } from '@ecs-deploy/sandbox';
import { BLUE_GREEN_REPOSITORY, blueGreenCatalog, registerRevision } from '../support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../support/codedeploy';
import { ecsClient } from '../support/ecs-fixtures';
import { runBundledAction, type ActionRun } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { formatRow } from './stats';

const TIME_SCALE = 0.02;
const WAITER_RUNS = 2;
const CLUSTER = 'bench-cd';
/** The termination wait of the rollback case: 60 minutes (72 s here), the window in which auto-rollback acts. */
const LONG_TERMINATION_WAIT = 60;
const HOOK = 'arn:aws:lambda:us-east-1:000000000000:function:bench-cd-reject';

/** When the sandbox recorded the first `kind` event of `deploymentId` that `match` accepts. */
function when(sandbox: Sandbox, kind: SandboxEvent['kind'], deploymentId: string, match: (e: SandboxEvent) => boolean): number {
  const event = sandbox.history.find((e) => e.kind === kind && e.deploymentId === deploymentId && match(e));
  if (!event) throw new Error(`the sandbox recorded no matching ${kind} of ${deploymentId}`);
  return event.at;
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A CODE_DEPLOY service on v1, one task, its original task set steady, the group's termination wait `wait` minutes. */
async function service(sandbox: Sandbox, name: string, wait = 0): Promise<CodeDeployService> {
  const cd = await createCodeDeployService(sandbox, {
    service: name,
    cluster: CLUSTER,
    desiredCount: 1,
    group: {
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: wait },
      },
    },
  });
  await until(`${name} steady`, async () => {
    const found = (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster: cd.cluster, services: [cd.service] })))
      .services?.[0];
    return found?.taskSets?.[0]?.stabilityStatus === 'STEADY_STATE' && found.runningCount === found.desiredCount ? true : undefined;
  });
  return cd;
}

function appSpec(cd: CodeDeployService, taskDefinition: string, hooks?: Array<Record<string, string>>): string {
  const target = { TaskDefinition: taskDefinition, LoadBalancerInfo: { ContainerName: cd.containerName, ContainerPort: 8080 } };
  return JSON.stringify({
    version: 0.0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: target } }],
    ...(hooks ? { Hooks: hooks } : {}),
  });
}

/** A deployment of v2 started through the SDK, as a pipeline would (no action involved). */
async function deployThroughSdk(sandbox: Sandbox, cd: CodeDeployService): Promise<string> {
  const content = appSpec(cd, await registerRevision(sandbox, cd, 'v2'));
  const created = await codeDeployClient(sandbox).send(
    new CreateDeploymentCommand({
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') } },
    }),
  );
  return created.deploymentId as string;
}

/** The CodeDeploy deployment an action created for `cd`: its output, else the first the sandbox saw created after it started. */
function deploymentOf(sandbox: Sandbox, cd: CodeDeployService, run: ActionRun): string {
  const given = run.outputs['codedeploy-deployment-id'];
  if (given) return given;
  const created = sandbox.history.find(
    (e) => e.kind === 'codedeploy-deployment-status' && e.status === 'Created' && e.serviceName === cd.service && e.at >= run.startedAt,
  );
  if (!created?.deploymentId) throw new Error(`deploy-ecs created no CodeDeploy deployment (status ${run.outputs.status}):\n${run.log}`);
  return created.deploymentId;
}

/** (a) The SDK's waiter on a sandbox deployment: Succeeded → the waiter returns. */
async function waiterLag(sandbox: Sandbox, name: string): Promise<number> {
  const cd = await service(sandbox, name);
  const deploymentId = await deployThroughSdk(sandbox, cd);
  await waitUntilDeploymentSuccessful({ client: codeDeployClient(sandbox), maxWaitTime: 600 }, { deploymentId });
  return Date.now() - when(sandbox, 'codedeploy-deployment-status', deploymentId, (e) => e.status === 'Succeeded');
}

/** (b) deploy-ecs on the same kind of deployment: Succeeded → the step returns. */
async function deployLag(sandbox: Sandbox, name: string): Promise<number> {
  const cd = await service(sandbox, name);
  const run = await runBundledAction(
    'deploy-ecs',
    { cluster: cd.cluster, service: cd.service, container: cd.containerName, image: `${BLUE_GREEN_REPOSITORY}:v2` },
    { env: sandbox.env() },
  );
  if (run.outputs.status !== 'succeeded') throw new Error(`deploy-ecs ended ${run.outputs.status || `exit ${run.exitCode}`}:\n${run.log}`);
  const deploymentId = deploymentOf(sandbox, cd, run);
  return run.finishedAt - when(sandbox, 'codedeploy-deployment-status', deploymentId, (e) => e.status === 'Succeeded');
}

/** (c) A hook that reports Failed at AfterAllowTestTraffic (an `appspec` file input): the event Failed → deploy-ecs fails naming it. */
async function failureLag(sandbox: Sandbox, name: string): Promise<number> {
  const cd = await service(sandbox, name);
  const dir = mkdtempSync(join(tmpdir(), 'bench-appspec-'));
  const file = join(dir, 'appspec.json');
  // TaskDefinition is deploy-ecs's to replace; the hooks are kept.
  writeFileSync(file, appSpec(cd, cd.taskDefinitionArn, [{ AfterAllowTestTraffic: HOOK }]));
  const run = await runBundledAction(
    'deploy-ecs',
    { cluster: cd.cluster, service: cd.service, container: cd.containerName, image: `${BLUE_GREEN_REPOSITORY}:v2`, appspec: file },
    { env: sandbox.env() },
  );
  // The group rolls back on DEPLOYMENT_FAILURE (the fixture's setting): deploy-ecs then says rolled-back.
  if (!['failed', 'rolled-back'].includes(run.outputs.status) || !run.log.includes('AfterAllowTestTraffic'))
    throw new Error(
      `deploy-ecs did not fail naming the failed event (status ${run.outputs.status || `exit ${run.exitCode}`}):\n${run.log}`,
    );
  const deploymentId = deploymentOf(sandbox, cd, run);
  return run.finishedAt - when(sandbox, 'codedeploy-lifecycle-event', deploymentId, (e) => e.status === 'Failed');
}

/**
 * (d) A release in its termination wait (production on green, blue kept), rolled back by auto-rollback: where the
 * time goes from the step's start to blue serving all production traffic again, and on to the step's return.
 */
async function rollbackTimes(sandbox: Sandbox, name: string) {
  const cd = await service(sandbox, name, LONG_TERMINATION_WAIT);
  const release = await deployThroughSdk(sandbox, cd);
  await until('the termination wait', () =>
    sandbox.history.some((e) => e.kind === 'codedeploy-target-status' && e.deploymentId === release && e.status === 'Succeeded')
      ? true
      : undefined,
  );
  const run = await runBundledAction(
    'auto-rollback',
    // The revision to return to, as a workflow passes deploy-ecs's previous-task-definition-arn.
    { cluster: cd.cluster, service: cd.service, 'task-definition': cd.taskDefinitionArn, reason: 'bench: the release is bad' },
    { env: sandbox.env() },
  );
  if (run.outputs['rolled-back'] !== 'true') throw new Error(`auto-rollback ended rolled-back=${run.outputs['rolled-back']}:\n${run.log}`);
  const stop = sandbox.calls.find((c) => c.service === 'codedeploy' && c.operation === 'StopDeployment' && c.at >= run.startedAt);
  if (!stop) throw new Error(`auto-rollback rolled back without StopDeployment:\n${run.log}`);
  const started = sandbox.history.find(
    (e) => e.kind === 'codedeploy-deployment-status' && e.status === 'Created' && e.serviceName === cd.service && e.at >= stop.at,
  );
  const rollback = started?.deploymentId;
  if (!rollback) throw new Error('CodeDeploy started no rollback deployment');
  const blueBack = when(sandbox, 'codedeploy-traffic', rollback, (e) => e.trafficWeight === 100);
  const rollbackDone = when(sandbox, 'codedeploy-deployment-status', rollback, (e) => e.status === 'Succeeded');
  return {
    total: blueBack - run.startedAt,
    toStop: stop.at - run.startedAt,
    reroute: blueBack - stop.at,
    doneToReturn: run.finishedAt - rollbackDone,
  };
}

/** Runs `measure` `runs` times; a failure ends the row with its reason (the action cannot do its part yet). */
async function attempt<T>(runs: number, measure: (i: number) => Promise<T>): Promise<{ values: T[]; error?: string }> {
  const values: T[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      values.push(await measure(i));
    } catch (error) {
      return { values, error: (error as Error).message.split('\n').slice(0, 6).join(' | ') };
    }
  }
  return { values };
}

function rowsOf<T>(result: { values: T[]; error?: string }, rows: Array<[string, (value: T) => number, string, number?]>): string[] {
  if (result.values.length === 0) return [`${rows[0][0].padEnd(58)} not measured: ${result.error}`];
  const out = rows.map(([name, pick, unit, goal]) => formatRow(name, result.values.map(pick), unit, goal));
  if (result.error) out.push(`  (stopped after ${result.values.length} run(s): ${result.error})`);
  return out;
}

export async function codeDeployBench(runs: number): Promise<string[]> {
  const sandbox = await startSandbox({ timeScale: TIME_SCALE, catalog: blueGreenCatalog() });
  const rejects = sandbox.registerCodeDeployHook(HOOK, async (event) => {
    await codeDeployClient(sandbox).send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: 'Failed',
      }),
    );
  });
  try {
    // The waiter spends its time asleep: it runs beside the others.
    const waiter = attempt(Math.min(runs, WAITER_RUNS), (i) => waiterLag(sandbox, `cd-waiter${i}`));
    const deploy = await attempt(runs, (i) => deployLag(sandbox, `cd-deploy${i}`));
    const failure = await attempt(runs, (i) => failureLag(sandbox, `cd-fail${i}`));
    const rollback = await attempt(runs, (i) => rollbackTimes(sandbox, `cd-rollback${i}`));
    const scale = `1/${1 / TIME_SCALE}`;
    return [
      ...rowsOf(await waiter, [
        ['baseline: SDK waitUntilDeploymentSuccessful, Succeeded → returns (15 s min delay, real)', (v) => v, 'ms'],
      ]),
      ...rowsOf(deploy, [['codedeploy: Succeeded → deploy-ecs returns', (v) => v, 'ms', 1500]]),
      ...rowsOf(failure, [['codedeploy: lifecycle event Failed → deploy-ecs fails', (v) => v, 'ms', 2000]]),
      ...rowsOf(rollback, [
        [`codedeploy: auto-rollback starts → blue takes all traffic (at ${scale})`, (v) => v.total, 'ms'],
        // The goal is 3 s plus CodeDeploy's own reroute: the action's part is its start to StopDeployment.
        ["  auto-rollback: start → StopDeployment (the action's part)", (v) => v.toStop, 'ms', 3000],
        [`  CodeDeploy: StopDeployment → blue serves all (at ${scale})`, (v) => v.reroute, 'ms'],
        ['  rollback Succeeded → auto-rollback returns', (v) => v.doneToReturn, 'ms', 1500],
      ]),
    ];
  } finally {
    rejects();
    await sandbox.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await codeDeployBench(Number(process.env.BENCH_RUNS ?? 5))).join('\n'));
