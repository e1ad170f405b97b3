import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { freePort, startLocalServer, startSampleService, type RunningServer } from '../support/health-servers';
import { errorsOf, runBundledAction } from '../support/run-action';
import { PLANTED } from '../support/secret-sweep';

// The bundled action against real HTTP servers: the sample service (a process of its own over an embedded
// PostgreSQL) and small local servers scripted to flap or to refuse before they start.
let database: { url: string; stop(): Promise<void> };
const servers: RunningServer[] = [];

async function sample(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startSampleService({ DATABASE_URL: database.url, IMAGE_TAG: 'v2', ...env });
  servers.push(server);
  return server;
}

async function local(...args: Parameters<typeof startLocalServer>): Promise<RunningServer> {
  const server = await startLocalServer(...args);
  servers.push(server);
  return server;
}

const fast = { interval: '0.2s', timeout: '30s' };

beforeAll(async () => {
  database = await startDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.stop();
});

describe('verify-health against the sample service', () => {
  test('a healthy release: step succeeds, outputs and a summary table per URL', async () => {
    const service = await sample();
    const run = await runBundledAction('verify-health', {
      ...fast,
      url: `${service.base}/health\n${service.base}/`,
      'body-contains': '"version":"v2"',
      bake: '1s',
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    // 3 passing rounds of 2 URLs, then about 1 s of bake at 0.2 s: at least 3 more rounds.
    expect(Number(run.outputs.checks)).toBeGreaterThanOrEqual(12);
    expect(run.outputs.failures).toBe('0');
    expect(Number(run.outputs['p95-latency-ms'])).toBeGreaterThan(0);
    expect(run.log).toMatch(
      /✅ Healthy [\d.]+m?s in: 3 passing rounds in a row on 2 URLs, p95 latency \d+ms\. It stayed healthy through the 1s bake\./,
    );
    expect(run.summary).toContain('## ✅ Verify health: healthy');
    expect(run.summary).toContain(`### ${service.base}/health`);
    expect(run.summary).toContain(`### ${service.base}/`);
    expect(run.summary).toMatch(/\| Checks \| Failures \| p50 \| p95 \| Max \| Last status \| Last body \|/);
    expect(run.summary).toMatch(/\| \d+ \| 0 \| \d+ ms \| \d+ ms \| \d+ ms \| 200 \| `\{"status":"ok","version":"v2"\}` \|/);
    expect(run.summary).toMatch(/health won at \+[\d.]+m?s/);
  });

  test('a release answering 500 fails the step after failure-threshold rounds, saying so', async () => {
    const service = await sample({ FAIL_MODE: '500' });
    const run = await runBundledAction('verify-health', { ...fast, url: `${service.base}/health` });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ healthy: 'false', checks: '3', failures: '3' });
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        new RegExp(`^Unhealthy [\\d.]+m?s in, after 3 failing rounds in a row: ${service.base}/health: status 500, expected 200-299\\.$`),
      ),
    ]);
    expect(run.summary).toContain('## ❌ Verify health: unhealthy');
    expect(run.summary).toContain('FAIL_MODE=500');
    expect(run.summary).toMatch(/health lost at \+/);
  });

  test('a slow release above max-latency-ms fails on the window p95', async () => {
    const service = await sample({ SLOW_MS: '150' });
    const run = await runBundledAction('verify-health', {
      interval: '0.05s',
      timeout: '30s',
      url: `${service.base}/`,
      'max-latency-ms': '100',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    // Nothing is judged before 20 answers; then 3 slow rounds in a row.
    expect(run.outputs.checks).toBe('22');
    expect(Number(run.outputs['p95-latency-ms'])).toBeGreaterThanOrEqual(150);
    expect(errorsOf(run)[0]).toMatch(
      /after 3 failing rounds in a row: p95 latency \d+ms over the last 20 answers exceeds max-latency-ms 100\.$/,
    );
  });

  test('the same slowness under a generous max-latency-ms is healthy', async () => {
    const service = await sample({ SLOW_MS: '150' });
    const run = await runBundledAction('verify-health', {
      interval: '0.05s',
      timeout: '30s',
      url: `${service.base}/`,
      'max-latency-ms': '2000',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.checks).toBe('20');
  });
});

describe('verify-health against scripted servers', () => {
  test('flapping never reaches success-threshold in a row: the step times out unhealthy', async () => {
    let requests = 0;
    const server = await local((_req, res) => {
      requests += 1;
      res.statusCode = requests % 3 === 0 ? 503 : 200;
      res.end(res.statusCode === 200 ? 'ok' : 'overloaded');
    });
    const run = await runBundledAction('verify-health', { url: `${server.base}/health`, interval: '0.1s', timeout: '3s' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(Number(run.outputs.checks)).toBeGreaterThanOrEqual(9);
    expect(Number(run.outputs.failures)).toBe(Math.floor(Number(run.outputs.checks) / 3));
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(/^Not healthy within the timeout of 3s: the longest run was 2 passing round\(s\) of the 3 needed\./),
    ]);
  });

  test('refused while the task starts, within warm-up, then healthy', async () => {
    const port = await freePort();
    let refusals = 0;
    let started: Promise<RunningServer> | undefined;
    // The "task" starts listening only after four refused rounds: more than failure-threshold, so without
    // warm-up they would have failed the step.
    const run = await runBundledAction(
      'verify-health',
      { url: `http://127.0.0.1:${port}/health`, interval: '0.2s', timeout: '30s', warmup: '20s' },
      {
        onLine: (line) => {
          if (line.text.startsWith('✗ round') && ++refusals === 4) started = local((_req, res) => res.end('ok'), port);
        },
      },
    );
    await started;

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(Number(run.outputs.failures)).toBeGreaterThanOrEqual(4);
    expect(run.log).toContain(`connection refused by 127.0.0.1:${port}: nothing is listening there (yet)`);
    expect(run.log).toContain('warm-up: not counted');
  });

  test('the same refusals without warm-up fail the step', async () => {
    const port = await freePort();
    const run = await runBundledAction('verify-health', { url: `http://127.0.0.1:${port}/health`, interval: '0.2s', timeout: '20s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ healthy: 'false', checks: '3', failures: '3' });
    expect(errorsOf(run)[0]).toContain(`connection refused by 127.0.0.1:${port}`);
  });

  test('headers reach the server and their values never reach the log', async () => {
    const seen: string[] = [];
    const server = await local((req, res) => {
      seen.push(String(req.headers['x-health-token']));
      res.statusCode = req.headers['x-health-token'] === 'hunter2-secret' ? 200 : 401;
      res.end();
    });
    const run = await runBundledAction('verify-health', {
      ...fast,
      url: `${server.base}/`,
      headers: `X-Health-Token: hunter2-secret\nAuthorization: ${PLANTED.headerValue}`,
    });
    expect(run.exitCode).toBe(0);
    expect(seen).toEqual(['hunter2-secret', 'hunter2-secret', 'hunter2-secret']);
    // The runner masks what ::add-mask:: names; nothing else may print it.
    expect(run.lines.filter((line) => line.text.includes('hunter2-secret')).map((line) => line.text)).toEqual([
      '::add-mask::hunter2-secret',
    ]);
    expect(run.log).toContain(`::add-mask::${PLANTED.headerValue}`);
  });

  test('expected-status as a list: 204 passes, 200 would not', async () => {
    const server = await local((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    const good = await runBundledAction('verify-health', { ...fast, url: `${server.base}/`, 'expected-status': '204,304' });
    expect(good.exitCode).toBe(0);
    const bad = await runBundledAction('verify-health', { ...fast, url: `${server.base}/`, 'expected-status': '200' });
    expect(bad.exitCode).toBe(1);
    expect(errorsOf(bad)[0]).toContain('status 204, expected 200');
  });
});
