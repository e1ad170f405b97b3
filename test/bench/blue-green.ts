/**
 * ECS-native blue/green with the bundled actions, real processes of the fixture's program behind the sandbox's
 * listeners (test/support/blue-green.ts), and a user's requests through them: how soon deploy-ecs reports what ECS
 * did, how long users meet a bad release that reached production and is rolled back by traffic shift (against the
 * same release on a rolling service), and how many meet one stopped at the test gate. Registered in run.ts
 * (BENCH_ONLY=blue-green); `npx tsx test/bench/blue-green.ts` runs it alone. Medians over `runs`.
 *
 * The sandbox runs ECS's intervals at a fiftieth (TIME_SCALE), so that five runs take well under a minute; the
 * actions run at their own pace. The blue/green chain's figure is therefore given part by part, ECS's parts from
 * the sandbox's history ('lifecycle-stage', 'service-deployment-status'), and again with ECS's part (the
 * production shift's stage, whose length is the sandbox's *unconfirmed* choice: scheduler/traffic-strategy) at
 * ECS's own pace. The rolling chain's ECS part includes real process starts, which cannot be scaled back: the
 * auto-rollback bench runs it at ECS's real intervals.
 */
import type { Sandbox } from '@ecs-deploy/sandbox';
import { BLUE_GREEN_REPOSITORY, blueGreenCatalog, createBlueGreenService, type BlueGreenOptions } from '../support/blue-green';
import { createService } from '../support/ecs-fixtures';
import { createTargetGroup } from '../support/load-balancer';
import { runBundledAction } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { outageOf, PRODUCTION_CHECK, releaseCheckRollBack, releaseThroughGate, type Target } from './blue-green-chain';
import { historyAt } from './history';
import { formatRow } from './stats';

const TIME_SCALE = 0.02;

const at = (sandbox: Sandbox, arn: string, kind: 'lifecycle-stage' | 'service-deployment-status', value: string) =>
  historyAt(sandbox, kind, (e) => e.serviceDeploymentArn === arn && (e.lifecycleStage ?? e.status) === value);

/** One task a revision: which revision answers is the listener rules' doing, not the count's. */
async function blueGreen(sandbox: Sandbox, service: string, options: Partial<BlueGreenOptions> = {}) {
  const bg = await createBlueGreenService(sandbox, { service, cluster: 'bench-bg', desiredCount: 1, ...options });
  return { ...bg, container: bg.containerName, url: bg.productionUrl };
}

/** The same program on a rolling service behind one target group, the circuit breaker on (as auto-rollback's bench). */
async function rolling(sandbox: Sandbox, service: string): Promise<Target> {
  const { targetGroupArn, url } = await createTargetGroup(sandbox, `${service}-tg`, 5);
  const { cluster } = await createService(sandbox, {
    cluster: 'bench-bg',
    service,
    image: `${BLUE_GREEN_REPOSITORY}:v1`,
    desiredCount: 1,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    containers: [{ name: service, image: `${BLUE_GREEN_REPOSITORY}:v1`, essential: true, portMappings: [{ containerPort: 8080 }] }],
    loadBalancers: [{ targetGroupArn, containerName: service, containerPort: 8080 }],
    // A process starts in real time, its health checks run at the scale: a minute (1.2 s) to begin answering.
    healthCheckGracePeriodSeconds: 60,
  });
  return { cluster, service, container: service, url };
}

/** 1. A healthy release followed to SUCCESSFUL: SUCCESSFUL → deploy-ecs returns. */
async function healthyRelease(sandbox: Sandbox, bg: Target) {
  const done = await runBundledAction(
    'deploy-ecs',
    { cluster: bg.cluster, service: bg.service, container: bg.container, image: `${BLUE_GREEN_REPOSITORY}:v2` },
    { env: sandbox.env() },
  );
  if (done.outputs.status !== 'succeeded') throw new Error(`healthy blue/green deploy ended ${done.outputs.status}:\n${done.log}`);
  return done.finishedAt - at(sandbox, done.outputs['service-deployment-arn'], 'service-deployment-status', 'SUCCESSFUL');
}

/** 2 and 3. The release reaches production: wait-until bake, verify-health on production, auto-rollback; where the time went. */
async function rolledBackByTraffic(sandbox: Sandbox, bg: Target) {
  const chain = await releaseCheckRollBack(sandbox, bg, 'bake');
  const arn = chain.release.outputs['service-deployment-arn'];
  // The production rule moved to green as the stage began (scheduler/traffic-strategy).
  const shiftAt = at(sandbox, arn, 'lifecycle-stage', 'PRODUCTION_TRAFFIC_SHIFT');
  const bakeAt = at(sandbox, arn, 'lifecycle-stage', 'BAKE_TIME');
  // ECS takes StopServiceDeployment at once: ROLLBACK_REQUESTED is the moment it was answered.
  const stopAt = at(sandbox, arn, 'service-deployment-status', 'ROLLBACK_REQUESTED');
  const { firstBad, restored } = outageOf(chain.answers);
  const ecsShift = bakeAt - shiftAt;
  return {
    total: restored - firstBad,
    fromShift: restored - shiftAt,
    ecsShift,
    bakeToReturn: chain.release.finishedAt - bakeAt,
    detect: chain.verify.finishedAt - chain.release.finishedAt,
    toStop: stopAt - chain.verify.finishedAt,
    afterStop: restored - stopAt,
    sampling: firstBad - shiftAt,
    // ECS's part (production shift → BAKE_TIME) at its own pace; the actions' parts are real time already.
    atEcsPace: restored - shiftAt - ecsShift + ecsShift / TIME_SCALE,
  };
}

/** 3, compared: the same release on a rolling service; and from auto-rollback's new deployment on. */
async function rolledBackByRollingUpdate(sandbox: Sandbox, target: Target) {
  const chain = await releaseCheckRollBack(sandbox, target);
  const { firstBad, restored } = outageOf(chain.answers);
  const rollbackAt = historyAt(
    sandbox,
    'deployment-created',
    (e) => e.serviceName === target.service && (e.at as number) >= chain.rollback.startedAt,
  );
  return { total: restored - firstBad, afterUpdate: restored - rollbackAt };
}

/** 2 and 4. The release stopped at the test gate: wait-until paused's lag, and the production requests it answered. */
async function stoppedAtGate(sandbox: Sandbox, bg: Target & { testUrl: string }) {
  const gate = await releaseThroughGate(sandbox, bg);
  return {
    pausedToReturn: gate.release.finishedAt - at(sandbox, gate.arn, 'lifecycle-stage', 'POST_TEST_TRAFFIC_SHIFT'),
    reached: gate.answers.filter((answer) => answer.body === 'v2').length,
    sent: gate.answers.length,
  };
}

const PAUSE_AFTER_TEST_TRAFFIC = [
  { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60 } },
] satisfies BlueGreenOptions['lifecycleHooks'];

/** The four services of run `i`, each on v1. */
const servicesOf = (sandbox: Sandbox, i: number) =>
  Promise.all([
    blueGreen(sandbox, `bg-complete${i}`),
    // A long bake (60 minutes, 72 s here), set once v1 is deployed: the chain acts during it.
    blueGreen(sandbox, `bg-bake${i}`, { afterFirstDeployment: { bakeTimeInMinutes: 60 } }),
    blueGreen(sandbox, `bg-gate${i}`, { lifecycleHooks: PAUSE_AFTER_TEST_TRAFFIC }),
    rolling(sandbox, `rolling${i}`),
  ]);

/** The four releases of a run go side by side, each on its own service, each chain's steps one after another. */
async function measureRun(sandbox: Sandbox, [complete, baking, gated, rolled]: Awaited<ReturnType<typeof servicesOf>>) {
  const [success, traffic, update, gate] = await Promise.all([
    healthyRelease(sandbox, complete),
    rolledBackByTraffic(sandbox, baking),
    rolledBackByRollingUpdate(sandbox, rolled),
    stoppedAtGate(sandbox, gated),
  ]);
  return { success, traffic, update, gate };
}

export async function blueGreenBench(runs: number): Promise<string[]> {
  const sandbox = await startSandbox({ timeScale: TIME_SCALE, catalog: blueGreenCatalog() });
  const results: Awaited<ReturnType<typeof measureRun>>[] = [];
  try {
    // The next run's services are set up while this run's releases go on, so the case keeps well under a minute.
    let next = servicesOf(sandbox, 0);
    for (let i = 0; i < runs; i++) {
      const services = await next;
      if (i + 1 < runs) next = servicesOf(sandbox, i + 1);
      // Awaited at the loop's next turn; a failure there is not left unhandled if this run throws first.
      next.catch(() => undefined);
      results.push(await measureRun(sandbox, services));
    }
  } finally {
    await sandbox.stop();
  }
  type Run = (typeof results)[number];
  const row = (name: string, pick: (run: Run) => number, unit = 'ms', goal?: number) => formatRow(name, results.map(pick), unit, goal);
  const scale = `1/${1 / TIME_SCALE}`;
  return [
    row('blue/green: SUCCESSFUL → deploy-ecs returns', (r) => r.success, 'ms', 1500),
    row('blue/green: BAKE_TIME → wait-until bake returns', (r) => r.traffic.bakeToReturn, 'ms', 1500),
    row('blue/green: PAUSE hook awaits → wait-until paused returns', (r) => r.gate.pausedToReturn, 'ms', 1500),
    row(`blue/green chain: first 500 → old revision (ECS at ${scale})`, (r) => r.traffic.total, 'ms', 6000),
    row("  from the production shift (the sandbox's record)", (r) => r.traffic.fromShift),
    row(`    ECS: PRODUCTION_TRAFFIC_SHIFT → BAKE_TIME (at ${scale})`, (r) => r.traffic.ecsShift),
    row('    deploy-ecs: BAKE_TIME → returns', (r) => r.traffic.bakeToReturn),
    row(
      `    verify-health: → fails (${PRODUCTION_CHECK.interval}, ${PRODUCTION_CHECK['failure-threshold']} rounds)`,
      (r) => r.traffic.detect,
    ),
    row('    auto-rollback: → StopServiceDeployment', (r) => r.traffic.toStop),
    row('    ECS, listener: StopServiceDeployment → old revision', (r) => r.traffic.afterStop),
    row("  the user's loop: production shift → its first 500", (r) => r.traffic.sampling),
    row("blue/green chain: shift → old revision, ECS's part at its pace", (r) => r.traffic.atEcsPace, 'ms', 6000),
    row(`rolling chain: first 500 → old revision (ECS at ${scale})`, (r) => r.update.total),
    row("  auto-rollback's deployment created → old revision", (r) => r.update.afterUpdate),
    row('blue/green gate: production requests the release answered', (r) => r.gate.reached, 'requests', 0),
    row('blue/green gate: production requests sent meanwhile', (r) => r.gate.sent, 'requests'),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await blueGreenBench(Number(process.env.BENCH_RUNS ?? 5))).join('\n'));
