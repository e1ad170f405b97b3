/**
 * verify-health benchmarks: how soon a release that starts failing fails the step, and what one check costs.
 * Registered in run.ts; `npx tsx test/bench/verify-health.ts` runs it alone.
 */
import { httpProbe, parseExpectedStatus, verifyHealth } from '@ecs-deploy/core/health';
import { startLocalServer } from '../support/health-servers';
import { runBundledAction } from '../support/run-action';
import { formatRow } from './stats';

/**
 * Interval 1 s, failure-threshold 3: the action is healthy and baking when the server starts answering 500 at a
 * random moment between two rounds; measured from the first 500 the server sends to the action's exit.
 */
async function firstFailureToStepFailure(runs: number): Promise<string> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    let failingSince: number | undefined;
    let firstFailingAnswer: number | undefined;
    const server = await startLocalServer((_req, res) => {
      const failing = failingSince !== undefined && Date.now() >= failingSince;
      if (failing && firstFailingAnswer === undefined) firstFailingAnswer = Date.now();
      res.statusCode = failing ? 500 : 200;
      res.end(failing ? 'broken' : 'ok');
    });
    try {
      const run = await runBundledAction(
        'verify-health',
        { url: `${server.base}/health`, interval: '1s', 'failure-threshold': '3', 'success-threshold': '2', bake: '60s' },
        {
          onLine: (line) => {
            if (failingSince === undefined && line.text.startsWith('✅ Healthy')) failingSince = Date.now() + 300 + Math.random() * 1_000;
          },
        },
      );
      if (run.exitCode !== 1 || firstFailingAnswer === undefined) throw new Error(`expected a failed bake:\n${run.log}`);
      latencies.push(run.finishedAt - firstFailingAnswer);
    } finally {
      await server.stop();
    }
  }
  return formatRow('verify-health: first 500 → step fails (1s, threshold 3)', latencies, 'ms', 3500);
}

/** The engine and Node's http against a loopback server that answers at once, with no pause between rounds. */
async function overheadPerCheck(runs: number): Promise<string> {
  const checks = 300;
  const perCheck: number[] = [];
  const server = await startLocalServer((_req, res) => res.end('{"status":"ok"}'));
  try {
    for (let i = 0; i < runs; i++) {
      const noPause = { now: () => Date.now(), sleep: async () => undefined };
      const started = performance.now();
      const report = await verifyHealth(
        {
          urls: [`${server.base}/health`],
          expectedStatus: parseExpectedStatus('200-299'),
          bodyContains: 'ok',
          warmupMs: 0,
          intervalMs: 1,
          timeoutMs: 60_000,
          successThreshold: checks,
          failureThreshold: 3,
          bakeMs: 0,
        },
        { probe: httpProbe({ headers: [], timeoutMs: 5_000 }), clock: noPause },
      );
      if (!report.healthy || report.checks !== checks)
        throw new Error(`overhead run was not ${checks} passing checks: ${report.explanation}`);
      perCheck.push((performance.now() - started) / checks);
    }
  } finally {
    await server.stop();
  }
  return formatRow(
    'verify-health: probe overhead per check (loopback)',
    perCheck.map((ms) => ms * 1000),
    'µs',
  );
}

export async function verifyHealthBenchmarks(runs: number): Promise<string[]> {
  return [await firstFailureToStepFailure(runs), await overheadPerCheck(runs)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await verifyHealthBenchmarks(Number(process.env.BENCH_RUNS ?? 5))).join('\n'));
}
