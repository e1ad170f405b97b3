/**
 * `npm run bench`: how fast the suite knows, measured against the sandbox with the bundled actions run as
 * the runner runs them. Every figure is a median over several runs; these machines are noisy.
 */
import { statSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs';
import type { ApiCall, Sandbox } from '@ecs-deploy/sandbox';
import { CONTAINER_HEALTH_CHECK, createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { faultMix } from '../support/fault-mix';
import { startSandbox } from '../support/sandbox-harness';
import { formatRow, median } from './stats';
import { historyAt } from './history';
import { runMigrationBench } from './run-migration';
import { autoRollbackBench } from './auto-rollback';
import { verifyHealthBenchmarks } from './verify-health';
import { benchBuildPush } from './build-push';
import { workflowBenchmarks } from './workflows';
import { loadBalancerBench } from './load-balancer';
import { cancellationBench } from './cancellation';
import { faultCampaignBench } from './fault-campaign';
import { blueGreenBench } from './blue-green';
import { codeDeployBench } from './codedeploy';
import { secretsPreflightBench } from './secrets';
import { manyServicesBench } from './many-services';
import { writeBenchCharts } from './charts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** BENCH_ONLY=steady (a comma-separated list of the case names below) runs just those cases, e.g. to compare one figure. */
const ONLY = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const wanted = (name: string) => !ONLY || ONLY.includes(name);
const rows: string[] = [];
const medians = new Map<string, number>();

/** The campaign's fault mix (test/support/fault-mix.ts), named in a row. */
const under = (faulty: boolean) => (faulty ? ' under the fault mix' : '');

/** Calls a fault answered instead of the operation (an error or a dropped connection); a latency spike still answers. */
const answeredByFault = (call: ApiCall) => call.fault !== undefined && call.fault !== 'latency';

/**
 * A healthy deploy, from the sandbox's steady state to the action's return, and what it cost in AWS calls. With
 * `faulty`, the action's calls (not the bench's own) meet the campaign's fault mix, seeded with the run's index.
 */
async function steadyToReturn(sandbox: Sandbox, faulty = false) {
  const latencies: number[] = [];
  const calls: number[] = [];
  const faulted: number[] = [];
  const stoppedTaskLists: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `${faulty ? 'steadyfaults' : 'steady'}${i}`;
    const { cluster, service } = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
    const callsBefore = sandbox.calls.length;
    if (faulty) sandbox.setFaults(faultMix(i));
    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${REGISTRY}/${name}:v2` }, { env: sandbox.env() }).finally(
      () => sandbox.setFaults(undefined),
    );
    if (run.outputs.status !== 'succeeded') throw new Error(`healthy deploy${under(faulty)} ended ${run.outputs.status}:\n${run.log}`);
    const deploymentId = run.outputs['deployment-id'];
    latencies.push(run.finishedAt - historyAt(sandbox, 'steady-state', (e) => e.deploymentId === deploymentId));
    const made = sandbox.calls.slice(callsBefore);
    calls.push(made.length);
    faulted.push(made.filter(answeredByFault).length);
    // deploy-ecs lists only stopped tasks (the baseline before UpdateService, then the watcher's), one call a page.
    stoppedTaskLists.push(made.filter((call) => call.service === 'ecs' && call.operation === 'ListTasks').length);
  }
  rows.push(formatRow(`deploy-ecs: steady state → action returns${under(faulty)}`, latencies, 'ms', faulty ? 3000 : 1000));
  if (!faulty) medians.set('ours', median(latencies));
  rows.push(formatRow(`deploy-ecs: AWS API calls per healthy deploy${under(faulty)}`, calls, 'calls'));
  if (faulty) rows.push(formatRow('deploy-ecs: of those, answered by a fault (error or reset)', faulted, 'calls'));
  else rows.push(formatRow('deploy-ecs: stopped-task ListTasks calls per healthy deploy', stoppedTaskLists, 'calls'));
}

async function waiterBaseline(sandbox: Sandbox) {
  const latencies: number[] = [];
  const ecs = ecsClient(sandbox);
  for (let i = 0; i < RUNS; i++) {
    const name = `waiter${i}`;
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: taskDefinitionArn, forceNewDeployment: true }),
    );
    const deploymentId = update.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    await waitUntilServicesStable({ client: ecs, maxWaitTime: 600 }, { cluster, services: [service] });
    latencies.push(Date.now() - historyAt(sandbox, 'steady-state', (e) => e.deploymentId === deploymentId));
  }
  rows.push(formatRow('baseline: SDK waitUntilServicesStable, steady state → return', latencies, 'ms'));
  medians.set('waiter', median(latencies));
}

async function circuitBreakerToReport(sandbox: Sandbox) {
  const latencies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `breaker${i}`;
    const { cluster, service } = await createService(sandbox, {
      service: name,
      image: `${REGISTRY}/${name}:v1`,
      // ECS's breaker counts a crash after RUNNING only for a task with a health check it had not yet passed.
      healthCheck: CONTAINER_HEALTH_CHECK,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    const broken = `${REGISTRY}/${name}:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 1, afterMs: 200, logs: ['boom'] });
    const run = await runBundledAction('deploy-ecs', { cluster, service, image: broken }, { env: sandbox.env() });
    if (run.outputs.status !== 'rolled-back') throw new Error(`breaker deploy ended ${run.outputs.status}:\n${run.log}`);
    const deploymentId = run.outputs['deployment-id'];
    latencies.push(run.finishedAt - historyAt(sandbox, 'circuit-breaker-tripped', (e) => e.deploymentId === deploymentId));
  }
  rows.push(formatRow('deploy-ecs: circuit breaker trips → failure reported', latencies, 'ms', 2000));
}

async function thresholdToReport(sandbox: Sandbox, faulty = false) {
  const latencies: number[] = [];
  const threshold = 3;
  const ecs = ecsClient(sandbox);
  for (let i = 0; i < RUNS; i++) {
    const name = `${faulty ? 'faulty' : 'crash'}${i}`;
    const { cluster, service } = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
    const broken = `${REGISTRY}/${name}:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 2, afterMs: 200, logs: ['boom'] });
    // Only the action's calls meet the faults, seeded with the run's index: the pattern of run i repeats.
    if (faulty) sandbox.setFaults(faultMix(i));
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: broken, 'failed-tasks-threshold': String(threshold) },
      { env: sandbox.env() },
    ).finally(() => sandbox.setFaults(undefined));
    if (run.outputs.status !== 'failed') throw new Error(`crash deploy${under(faulty)} ended ${run.outputs.status}:\n${run.log}`);
    const deploymentId = run.outputs['deployment-id'];
    latencies.push(run.finishedAt - historyAt(sandbox, 'task-stopped', (e) => e.deploymentId === deploymentId, threshold));
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  }
  rows.push(formatRow(`deploy-ecs: ${threshold}rd stopped task → failure reported${under(faulty)}`, latencies, 'ms', faulty ? 5000 : 3000));
}

async function coldStartAndSize() {
  const actions = readdirSync('actions').filter((name) => existsSync(join('actions', name, 'dist', 'index.js')));
  for (const action of actions) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await runBundledAction(action, {});
      times.push(run.finishedAt - run.startedAt);
    }
    rows.push(formatRow(`${action}: cold start to first error (Node 24)`, times, 'ms'));
    rows.push(formatRow(`${action}: bundle size`, [statSync(join('actions', action, 'dist', 'index.js')).size / 1024], 'KiB'));
  }
}

async function main() {
  console.log(`Benchmarks, medians over ${RUNS} runs (set BENCH_RUNS to change${ONLY ? `; only ${ONLY.join(', ')}` : ''})`);
  if (wanted('cold-start')) await coldStartAndSize();
  if (wanted('verify-health')) rows.push(...(await verifyHealthBenchmarks(RUNS)));
  const deployCases: [string, (sandbox: Sandbox) => Promise<void>][] = [
    ['steady', steadyToReturn],
    ['waiter', waiterBaseline],
    ['breaker', circuitBreakerToReport],
    ['threshold', thresholdToReport],
    ['steady-faults', (sandbox) => steadyToReturn(sandbox, true)],
    ['threshold-faults', (sandbox) => thresholdToReport(sandbox, true)],
  ];
  if (deployCases.some(([name]) => wanted(name))) {
    const sandbox = await startSandbox({ timeScale: 0.2 });
    try {
      for (const [name, run] of deployCases) if (wanted(name)) await run(sandbox);
    } finally {
      await sandbox.stop();
    }
  }
  if (wanted('run-migration')) rows.push(...(await runMigrationBench(RUNS)));
  if (wanted('auto-rollback')) rows.push(...(await autoRollbackBench(RUNS)));
  if (wanted('cancel')) rows.push(...(await cancellationBench(RUNS)));
  if (wanted('build-push')) rows.push(...(await benchBuildPush(RUNS)));
  if (wanted('workflows')) rows.push(...(await workflowBenchmarks(RUNS)));
  if (wanted('load-balancer')) rows.push(...(await loadBalancerBench(RUNS)));
  if (wanted('blue-green')) rows.push(...(await blueGreenBench(RUNS)));
  if (wanted('codedeploy')) rows.push(...(await codeDeployBench(RUNS)));
  if (wanted('secrets')) rows.push(...(await secretsPreflightBench(RUNS)));
  if (wanted('many-services')) rows.push(...(await manyServicesBench(RUNS)));
  if (wanted('campaign')) rows.push(...faultCampaignBench());
  console.log(rows.join('\n'));
  const charts = writeBenchCharts();
  if (charts) console.log(`charts of the zero-downtime and rollback runs: ${charts}`);
  const ours = medians.get('ours');
  const waiter = medians.get('waiter');
  if (ours && waiter)
    console.log(`deploy-ecs learns of a steady state ${(waiter / ours).toFixed(1)}× sooner than the SDK's waiter (medians, same run)`);
}

await main();
