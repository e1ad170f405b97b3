/**
 * deploy-ecs with many services in one step (N = 1, 10, 50, 200): wall time, DescribeServices calls per poll round
 * and the action's peak memory, at ECS's RegisterTaskDefinition rate (the sandbox enforces it); beside it, up to
 * N = 50, the same services deployed by separate single-service runs one after another (what a matrix does,
 * serialised on one machine). Registered in run.ts as `many-services`; BENCH_SERVICES=1,10 picks the sizes.
 */
import { resolve } from 'node:path';
import { ECS_RATE_LIMITS, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, REGISTRY, waitForSteady } from '../support/ecs-fixtures';
import { describeCallsPerRound } from '../support/poll-rounds';
import { runBundledAction, type ActionRun } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { formatRow } from './stats';

const SIZES = (process.env.BENCH_SERVICES ?? '1,10,50,200').split(',').map(Number);
/** The serial baseline stops here: 200 runs one after another would take most of an hour. */
const SERIAL_UP_TO = 50;
const PEAK_MEMORY = resolve('test/bench/peak-memory.cjs');

export async function manyServicesBench(runs: number): Promise<string[]> {
  const rows: string[] = [];
  for (const n of SIZES) {
    const walls: number[] = [];
    const perRound: number[] = [];
    const memory: number[] = [];
    const registrationSpans: number[] = [];
    const serial: number[] = [];
    for (let run = 0; run < runs; run++) {
      const sandbox = await startSandbox({ timeScale: 0.2 });
      try {
        const names = await createFleet(sandbox, `n${n}r${run}`, n);
        sandbox.script(`${REGISTRY}/fleet:v2`, { kind: 'healthy', startMs: 2000 });
        sandbox.setRateLimits(ECS_RATE_LIMITS);
        const callsBefore = sandbox.calls.length;
        const deployed = await deploy(sandbox, names, `${REGISTRY}/fleet:v2`);
        const calls = sandbox.calls.slice(callsBefore);
        if (calls.some((call) => call.fault === 'throttle')) throw new Error(`N=${n}: a registration was throttled`);
        walls.push(deployed.finishedAt - deployed.startedAt);
        perRound.push(Math.max(...describeCallsPerRound(calls)));
        memory.push(peakRssMiB(deployed));
        const registrations = calls.filter((call) => call.operation === 'RegisterTaskDefinition').map((call) => call.at);
        registrationSpans.push(registrations.length ? (registrations.at(-1) as number) - registrations[0] : 0);
        if (n <= SERIAL_UP_TO) {
          sandbox.script(`${REGISTRY}/fleet:v3`, { kind: 'healthy', startMs: 2000 });
          const started = Date.now();
          for (const name of names) await deploy(sandbox, [name], `${REGISTRY}/fleet:v3`);
          serial.push(Date.now() - started);
        }
      } finally {
        await sandbox.stop();
      }
    }
    rows.push(formatRow(`deploy-ecs, ${n} services in one step: wall time`, walls, 'ms'));
    rows.push(
      formatRow(
        `deploy-ecs, ${n} services in one step: DescribeServices calls in the busiest poll round (goal ≤ ${Math.ceil(n / 10) + 2})`,
        perRound,
        'calls',
        Math.ceil(n / 10) + 2,
      ),
    );
    rows.push(
      formatRow(`deploy-ecs, ${n} services in one step: first to last RegisterTaskDefinition (ECS's rate)`, registrationSpans, 'ms'),
    );
    rows.push(formatRow(`deploy-ecs, ${n} services in one step: peak memory`, memory, 'MiB'));
    if (serial.length) rows.push(formatRow(`deploy-ecs, ${n} single-service runs one after another: wall time`, serial, 'ms'));
  }
  return rows;
}

/** `n` services of one image, each of its own family (as services are), created at once and waited for together. */
async function createFleet(sandbox: Sandbox, prefix: string, n: number): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  sandbox.script(`${REGISTRY}/fleet:v1`, { kind: 'healthy', startMs: 200 });
  for (let start = 0; start < n; start += 20) {
    const batch = names.slice(start, start + 20);
    await Promise.all(
      batch.map((service) => createService(sandbox, { service, image: `${REGISTRY}/fleet:v1`, desiredCount: 1, waitForSteady: false })),
    );
  }
  for (const service of names) await waitForSteady(sandbox, 'prod', service, 120_000);
  return names;
}

async function deploy(sandbox: Sandbox, names: string[], image: string): Promise<ActionRun> {
  const run = await runBundledAction(
    'deploy-ecs',
    { cluster: 'prod', service: names.join('\n'), image, timeout: '30m' },
    { env: { ...sandbox.env(), NODE_OPTIONS: `--require ${PEAK_MEMORY}` }, sweep: false },
  );
  if (run.exitCode !== 0) throw new Error(`deploy of ${names.length} services failed:\n${run.log.slice(-3000)}`);
  return run;
}

function peakRssMiB(run: ActionRun): number {
  const kib = /bench-peak-rss-kib (\d+)/.exec(run.log)?.[1];
  return kib ? Math.round(Number(kib) / 1024) : Number.NaN;
}
