/**
 * deploy-ecs with many services in one step (N = 1, 10, 50, 200): wall time, DescribeServices calls per poll round
 * and the action's peak memory, at ECS's RegisterTaskDefinition rate (the sandbox enforces it); beside it, up to
 * N = 50, the same services deployed by separate single-service runs one after another (what a matrix does,
 * serialised on one machine) and as SDK waiters (each service registered, updated and handed to
 * waitUntilServicesStable, as a script would). Per N it also prints the lower bound the wall time is judged against
 * (the slowest service's registration, relative to the step's start, plus its own rollout as measured alone) and
 * where the margin over it goes. Registered in run.ts as `many-services`; BENCH_SERVICES=1,10 picks the sizes.
 */
import { resolve } from 'node:path';
import { UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs';
import { ECS_RATE_LIMITS, type ApiCall, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, describe, ecsClient, REGISTRY, registerLike, waitForSteady } from '../support/ecs-fixtures';
import { describeCallsPerRound } from '../support/poll-rounds';
import { runBundledAction, type ActionRun } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { formatRow, median } from './stats';

const SIZES = (process.env.BENCH_SERVICES ?? '1,10,50,200').split(',').map(Number);
/** The serial baseline stops here: 200 runs one after another would take most of an hour. */
const SERIAL_UP_TO = 50;
const PEAK_MEMORY = resolve('test/bench/peak-memory.cjs');

export async function manyServicesBench(runs: number): Promise<string[]> {
  const rows: string[] = [];
  for (const n of SIZES) {
    const firstRow = rows.length;
    const walls: number[] = [];
    const perRound: number[] = [];
    const memory: number[] = [];
    const registrationSpans: number[] = [];
    const serial: number[] = [];
    const waiters: number[] = [];
    const bounds: number[] = [];
    const margins: number[] = [];
    const idealMargins: number[] = [];
    const breakdowns: Breakdown[] = [];
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
        // Each service's own rollout, alone: the serial runs up to SERIAL_UP_TO, else one service alone stands for all.
        sandbox.script(`${REGISTRY}/fleet:v3`, { kind: 'healthy', startMs: 2000 });
        const alone = new Map<string, number>();
        const started = Date.now();
        for (const name of n <= SERIAL_UP_TO ? names : [names.at(-1) as string]) {
          const before = Date.now();
          await deploy(sandbox, [name], `${REGISTRY}/fleet:v3`);
          alone.set(name, rolloutsOf(sandbox, before).get(name)?.rollout as number);
        }
        if (n <= SERIAL_UP_TO) serial.push(Date.now() - started);
        const typicalAlone = median([...alone.values()]);
        const inStep = rolloutsOf(sandbox, deployed.startedAt, deployed.finishedAt);
        const judged = boundOf(names, inStep, alone, typicalAlone, deployed.startedAt);
        bounds.push(judged.bound);
        margins.push((walls.at(-1) as number) - judged.bound);
        // Against registrations at ECS's rate from the step's very start: what start-up and pre-flights add too.
        idealMargins.push((walls.at(-1) as number) - (pacedSpan(n) + typicalAlone));
        breakdowns.push(breakdownOf(n, deployed, calls, inStep, judged, typicalAlone));
        if (n <= SERIAL_UP_TO) waiters.push(await waiterFleet(sandbox, names, `${REGISTRY}/fleet:v4`));
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
    rows.push(formatRow(`deploy-ecs, ${n} services in one step: bound (slowest's registration + its rollout alone)`, bounds, 'ms'));
    rows.push(formatRow(`deploy-ecs, ${n} services in one step: margin, wall − bound (goal ≤ 2000)`, margins, 'ms', 2000));
    rows.push(formatRow(`deploy-ecs, ${n} services in one step: wall − (ECS-paced span + rollout alone)`, idealMargins, 'ms'));
    for (const [part, label] of BREAKDOWN_PARTS)
      rows.push(
        formatRow(
          `  ${n} in one step: ${label}`,
          breakdowns.map((b) => b[part]),
          'ms',
        ),
      );
    if (serial.length) rows.push(formatRow(`deploy-ecs, ${n} single-service runs one after another: wall time`, serial, 'ms'));
    if (waiters.length)
      rows.push(formatRow(`baseline: ${n} × RegisterTaskDefinition, UpdateService, SDK waiter: wall time`, waiters, 'ms'));
    // The sizes take minutes each: what one measured is shown as it ends, not only in the table at the end.
    console.error(rows.slice(firstRow).join('\n'));
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

interface Rollout {
  /** When ECS created the service's deployment (its UpdateService, just after its registration). */
  createdAt: number;
  steadyAt: number;
  /** From the deployment's creation to the service's steady state. */
  rollout: number;
}

/** Each service's first deployment created in [from, to] and its steady state, from the sandbox's history. */
function rolloutsOf(sandbox: Sandbox, from: number, to = Number.POSITIVE_INFINITY): Map<string, Rollout> {
  const rollouts = new Map<string, Rollout>();
  for (const created of sandbox.history) {
    if (created.kind !== 'deployment-created' || created.at < from || created.at > to) continue;
    if (!created.serviceName || rollouts.has(created.serviceName)) continue;
    const steady = sandbox.history.find((event) => event.kind === 'steady-state' && event.deploymentId === created.deploymentId);
    if (steady) rollouts.set(created.serviceName, { createdAt: created.at, steadyAt: steady.at, rollout: steady.at - created.at });
  }
  return rollouts;
}

interface Judged {
  bound: number;
  /** The service the bound is set by. */
  slowest: string;
}

/** The goal's bound: the latest, over the services, of (registration relative to the step's start + own rollout alone). */
function boundOf(
  names: string[],
  inStep: Map<string, Rollout>,
  alone: Map<string, number>,
  typicalAlone: number,
  startedAt: number,
): Judged {
  let judged: Judged = { bound: Number.NaN, slowest: '' };
  for (const name of names) {
    const rollout = inStep.get(name);
    if (!rollout) throw new Error(`${name}: no deployment reached a steady state in the step`);
    const bound = rollout.createdAt - startedAt + (alone.get(name) ?? typicalAlone);
    if (!(bound <= judged.bound)) judged = { bound, slowest: name };
  }
  return judged;
}

/** First to last of `n` registrations at ECS's rate: the burst at once, then one a second. */
function pacedSpan(n: number): number {
  const { burst, perSecond } = ECS_RATE_LIMITS['ecs:RegisterTaskDefinition'];
  return (Math.max(0, n - burst) * 1000) / perSecond;
}

/** Where the step's wall time goes beyond the rollout itself, in the order it happens. */
interface Breakdown {
  startUp: number;
  preflights: number;
  pacingOverRate: number;
  slowestInStepOverAlone: number;
  lastSteadyToExit: number;
}

const BREAKDOWN_PARTS: [keyof Breakdown, string][] = [
  ['startUp', 'step start → its first AWS call (start-up)'],
  ['preflights', 'first AWS call → first RegisterTaskDefinition (pre-flights)'],
  ['pacingOverRate', "registration span beyond ECS's rate (20 burst, 1/s)"],
  ['slowestInStepOverAlone', "slowest's rollout in the step − alone"],
  ['lastSteadyToExit', 'last steady state → step exits (poll interval, report)'],
];

function breakdownOf(
  n: number,
  run: ActionRun,
  calls: ApiCall[],
  inStep: Map<string, Rollout>,
  judged: Judged,
  typicalAlone: number,
): Breakdown {
  const registrations = calls.filter((call) => call.operation === 'RegisterTaskDefinition').map((call) => call.at);
  const span = (registrations.at(-1) as number) - registrations[0];
  const slowest = inStep.get(judged.slowest) as Rollout;
  return {
    startUp: calls[0].at - run.startedAt,
    preflights: registrations[0] - calls[0].at,
    pacingOverRate: span - pacedSpan(n),
    slowestInStepOverAlone: slowest.rollout - typicalAlone,
    lastSteadyToExit: run.finishedAt - Math.max(...[...inStep.values()].map((rollout) => rollout.steadyAt)),
  };
}

/**
 * The script a matrix replaces, all at once: each service registered (retrying a throttled registration, as the
 * SDK's retries would not for long), updated and handed to its own waitUntilServicesStable; until the last returns.
 */
async function waiterFleet(sandbox: Sandbox, names: string[], image: string): Promise<number> {
  sandbox.script(image, { kind: 'healthy', startMs: 2000 });
  const ecs = ecsClient(sandbox);
  const started = Date.now();
  const waiting: Promise<unknown>[] = [];
  for (const service of names) {
    const live = (await describe(sandbox, 'prod', service)).taskDefinition as string;
    const taskDefinition = await registerRetrying(sandbox, live, image);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service, taskDefinition }));
    waiting.push(waitUntilServicesStable({ client: ecs, maxWaitTime: 1800 }, { cluster: 'prod', services: [service] }));
  }
  await Promise.all(waiting);
  return Date.now() - started;
}

async function registerRetrying(sandbox: Sandbox, live: string, image: string): Promise<string> {
  for (;;) {
    try {
      return await registerLike(sandbox, live, image);
    } catch (error) {
      if ((error as Error).name !== 'ThrottlingException') throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
