/**
 * `npm run bench`: how fast the suite knows, measured against the sandbox with the bundled actions run as
 * the runner runs them. Every figure is a median over several runs; these machines are noisy.
 */
import { statSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { CONTAINER_HEALTH_CHECK, createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { formatRow, median } from './stats';
import { runMigrationBench } from './run-migration';
import { autoRollbackBench } from './auto-rollback';
import { verifyHealthBenchmarks } from './verify-health';
import { benchBuildPush } from './build-push';
import { workflowBenchmarks } from './workflows';
import { loadBalancerBench } from './load-balancer';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** BENCH_ONLY=steady (a comma-separated list of the case names below) runs just those cases, e.g. to compare one figure. */
const ONLY = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const wanted = (name: string) => !ONLY || ONLY.includes(name);
const rows: string[] = [];
const medians = new Map<string, number>();

function historyAt(sandbox: Sandbox, kind: string, match: (event: Record<string, unknown>) => boolean, nth = 1): number {
  const events = sandbox.history.filter((event) => event.kind === kind && match(event as unknown as Record<string, unknown>));
  const event = events[nth - 1];
  if (!event) throw new Error(`the sandbox recorded no ${kind} #${nth}`);
  return event.at;
}

async function steadyToReturn(sandbox: Sandbox) {
  const latencies: number[] = [];
  const calls: number[] = [];
  const stoppedTaskLists: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `steady${i}`;
    const { cluster, service } = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${REGISTRY}/${name}:v2` }, { env: sandbox.env() });
    if (run.outputs.status !== 'succeeded') throw new Error(`healthy deploy ended ${run.outputs.status}:\n${run.log}`);
    const deploymentId = run.outputs['deployment-id'];
    latencies.push(run.finishedAt - historyAt(sandbox, 'steady-state', (e) => e.deploymentId === deploymentId));
    const made = sandbox.calls.slice(callsBefore);
    calls.push(made.length);
    // deploy-ecs lists only stopped tasks (the baseline before UpdateService, then the watcher's), one call a page.
    stoppedTaskLists.push(made.filter((call) => call.service === 'ecs' && call.operation === 'ListTasks').length);
  }
  rows.push(formatRow('deploy-ecs: steady state → action returns', latencies, 'ms', 1000));
  medians.set('ours', median(latencies));
  rows.push(formatRow('deploy-ecs: AWS API calls per healthy deploy', calls, 'calls'));
  rows.push(formatRow('deploy-ecs: stopped-task ListTasks calls per healthy deploy', stoppedTaskLists, 'calls'));
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

/** The fault mix of issue 14: 30 % throttled and 10 % 5xx answers to the action's calls (not to the bench's own). */
const FAULT_MIX = { throttleRate: 0.3, serverErrorRate: 0.1 };

async function thresholdToReport(sandbox: Sandbox, faults?: typeof FAULT_MIX) {
  const latencies: number[] = [];
  const threshold = 3;
  const ecs = ecsClient(sandbox);
  for (let i = 0; i < RUNS; i++) {
    const name = `${faults ? 'faulty' : 'crash'}${i}`;
    const { cluster, service } = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
    const broken = `${REGISTRY}/${name}:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 2, afterMs: 200, logs: ['boom'] });
    sandbox.setFaults(faults);
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: broken, 'failed-tasks-threshold': String(threshold) },
      { env: sandbox.env() },
    ).finally(() => sandbox.setFaults(undefined));
    if (run.outputs.status !== 'failed') throw new Error(`crash deploy ended ${run.outputs.status}:\n${run.log}`);
    const deploymentId = run.outputs['deployment-id'];
    latencies.push(run.finishedAt - historyAt(sandbox, 'task-stopped', (e) => e.deploymentId === deploymentId, threshold));
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  }
  const under = faults ? ` under ${faults.throttleRate * 100} % throttling + ${faults.serverErrorRate * 100} % 5xx` : '';
  rows.push(formatRow(`deploy-ecs: ${threshold}rd stopped task → failure reported${under}`, latencies, 'ms', faults ? 5000 : 3000));
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
    ['threshold-faults', (sandbox) => thresholdToReport(sandbox, FAULT_MIX)],
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
  if (wanted('build-push')) rows.push(...(await benchBuildPush(RUNS)));
  if (wanted('workflows')) rows.push(...(await workflowBenchmarks(RUNS)));
  if (wanted('load-balancer')) rows.push(...(await loadBalancerBench(RUNS)));
  console.log(rows.join('\n'));
  const ours = medians.get('ours');
  const waiter = medians.get('waiter');
  if (ours && waiter)
    console.log(`deploy-ecs learns of a steady state ${(waiter / ours).toFixed(1)}× sooner than the SDK's waiter (medians, same run)`);
}

await main();
