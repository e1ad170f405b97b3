import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { node24 } from '../support/node24';

// The sample service is what the sandbox runs as ECS tasks: every process here is real, one per task,
// all sharing one embedded PostgreSQL in a process of its own, as in the sandbox.
const FIXTURE = resolve('test/fixtures/sample-service');

interface Proc {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  startedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const live = new Set<ChildProcess>();

function start(script: string, args: string[] = [], env: Record<string, string> = {}, node = process.execPath): Proc {
  // Only what the test gives: a DATABASE_URL or PORT of the machine running the tests must not leak in.
  const child = spawn(node, [join(FIXTURE, script), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const proc: Proc = { child, stdout: [], stderr: [], startedAt: Date.now(), exited: Promise.resolve({ code: null, signal: null, ms: 0 }) };
  collectLines(child.stdout, proc.stdout);
  collectLines(child.stderr, proc.stderr);
  proc.exited = new Promise((done) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      done({ code, signal, ms: Date.now() - proc.startedAt });
    }),
  );
  return proc;
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  let partial = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    into.push(...parts);
  });
  stream?.on('end', () => {
    if (partial) into.push(partial);
  });
}

async function run(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const proc = start(script, args, env);
  const { code, ms } = await proc.exited;
  return { code, ms, stdout: proc.stdout, stderr: proc.stderr };
}

async function waitForLine(proc: Proc, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of proc.stdout) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `no line matching ${pattern} (exit ${proc.child.exitCode}); stdout: ${proc.stdout.join(' | ')}; stderr: ${proc.stderr.join(' | ')}`,
      );
    }
    await sleep(20);
  }
}

interface Service {
  proc: Proc;
  base: string;
}

/** Starts a task on a port the OS picks (PORT=0) and waits for the line that says it accepts connections. */
async function startService(env: Record<string, string>, node?: string): Promise<Service> {
  const proc = start('server.mjs', [], { PORT: '0', DATABASE_URL: databaseUrl, ...env }, node);
  const [, version, port] = await waitForLine(proc, /^sample-service (\S+) listening on (\d+)$/);
  expect(version).toBe(env.IMAGE_TAG ?? 'dev');
  return { proc, base: `http://127.0.0.1:${port}` };
}

async function stopService({ proc }: Service): Promise<number | null> {
  proc.child.kill('SIGTERM');
  return (await proc.exited).code;
}

async function get(url: string) {
  const started = Date.now();
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, ms: Date.now() - started };
}

let database: Proc;
let databaseUrl: string;

beforeAll(async () => {
  database = start('database-cli.mjs');
  [databaseUrl] = await waitForLine(database, /^postgres:\/\/\S+$/, 20_000);
}, 30_000);

afterAll(async () => {
  // Tasks first, the database last, and nothing left behind even when a test failed half-way.
  const tasks = [...live].filter((child) => child !== database.child);
  for (const child of tasks) child.kill('SIGKILL');
  await Promise.all(
    tasks.map(
      (child) => new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done(null) : child.once('close', done))),
    ),
  );
  database.child.kill('SIGTERM');
  const { code } = await database.exited;
  expect(code).toBe(0);
});

describe('sample service', () => {
  test('a task missing DATABASE_URL exits 1 at once with one line naming it', async () => {
    for (const [script, env] of [
      ['server.mjs', { PORT: '0' }],
      ['migrate.mjs', {}],
    ] as const) {
      const result = await run(script, [], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toEqual(['Error: required environment variable DATABASE_URL is not set']);
      expect(result.stdout).toEqual([]);
      // Node's own start-up is most of this; no library is loaded and no connection is tried.
      expect(result.ms).toBeLessThan(1_000);
    }
  });

  test('after `migrate up 2` a release needing 002_add_price is healthy and reports its image tag', async () => {
    const migration = await run('migrate.mjs', ['up', '2'], { DATABASE_URL: databaseUrl });
    expect(migration).toMatchObject({ code: 0, stderr: [] });
    expect(migration.stdout).toEqual(
      expect.arrayContaining(['### MIGRATION 001_create_items (UP) ###', '### MIGRATION 002_add_price (UP) ###']),
    );

    const service = await startService({ IMAGE_TAG: 'v2.0.0', REQUIRED_MIGRATION: '002_add_price' });
    expect(await get(`${service.base}/health`)).toMatchObject({ status: 200, body: { status: 'ok', version: 'v2.0.0' } });
    expect(await get(`${service.base}/`)).toMatchObject({ status: 200, body: { service: 'sample-service', version: 'v2.0.0' } });

    const listed = await get(`${service.base}/items`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'MUG-001', price_cents: 0 })]));
    const created = await fetch(`${service.base}/items`, {
      method: 'POST',
      body: JSON.stringify({ sku: "O'BRIEN-1", name: 'Quote \\ and backslash', price_cents: 450 }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ sku: "O'BRIEN-1", name: 'Quote \\ and backslash', price_cents: 450 });
    const invalid = await fetch(`${service.base}/items`, { method: 'POST', body: '{"sku": 1}' });
    expect(invalid.status).toBe(400);

    const check = await run('healthcheck.mjs', [], { PORT: new URL(service.base).port });
    expect(check.code).toBe(0);
    expect(await stopService(service)).toBe(0);
  });

  test('a release needing a migration that never ran answers 503 naming it', async () => {
    const service = await startService({ REQUIRED_MIGRATION: '003_unique_sku' });
    const health = await get(`${service.base}/health`);
    expect(health.status).toBe(503);
    expect(health.body.reason).toBe('required migration 003_unique_sku is not applied');
    expect(await run('healthcheck.mjs', [], { PORT: new URL(service.base).port })).toMatchObject({
      code: 1,
      stdout: [expect.stringContaining('unhealthy: 503')],
    });
    expect(await stopService(service)).toBe(0);
  });

  test("`migrate up` stops at 003_unique_sku with PostgreSQL's error and exit code 3", async () => {
    const migration = await run('migrate.mjs', ['up'], { DATABASE_URL: databaseUrl });
    expect(migration.code).toBe(3);
    expect(migration.stdout).toContain('### MIGRATION 003_unique_sku (UP) ###');
    expect(migration.stderr).toEqual([
      'Error: could not create unique index "items_sku_key"',
      'Detail: Key (sku)=(MUG-001) is duplicated.',
    ]);

    // Rolled back as a whole, and nothing left locked: the next run fails the same way, for the same reason.
    const again = await run('migrate.mjs', [], { DATABASE_URL: databaseUrl });
    expect(again.code).toBe(3);
    expect(again.stderr[0]).toBe('Error: could not create unique index "items_sku_key"');
  });

  test('FAIL_MODE=500 fails every endpoint; SLOW_MS delays every answer', async () => {
    const [failing, slow] = await Promise.all([startService({ FAIL_MODE: '500' }), startService({ SLOW_MS: '400' })]);
    for (const path of ['/', '/health', '/items']) expect((await get(`${failing.base}${path}`)).status).toBe(500);
    for (const path of ['/', '/health']) {
      const answer = await get(`${slow.base}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeGreaterThanOrEqual(400);
    }
    expect(await Promise.all([stopService(failing), stopService(slow)])).toEqual([0, 0]);
  });

  test('three tasks (one on Node 24) and migrations share one embedded database without a failed check', async () => {
    const env = { REQUIRED_MIGRATION: '001_create_items' };
    const services = await Promise.all([startService(env), startService(env), startService(env, node24())]);

    // Migrations open transactions, which the embedded database serialises against every other connection.
    const migrations = (async () => {
      const codes: (number | null)[] = [];
      for (const args of [['down', '1'], ['up', '1'], ['up']])
        codes.push((await run('migrate.mjs', args, { DATABASE_URL: databaseUrl })).code);
      return codes;
    })();
    const checks = await Promise.all(
      services.map(async ({ base }) => {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) {
          statuses.push((await get(`${base}/health`)).status);
          await sleep(30);
        }
        return statuses;
      }),
    );

    expect(checks).toEqual(services.map(() => Array(20).fill(200)));
    expect(await migrations).toEqual([0, 0, 3]);
    expect(await Promise.all(services.map(stopService))).toEqual([0, 0, 0]);
  });

  test('SIGTERM lets the request in flight finish, then exits 0', async () => {
    const service = await startService({ SLOW_MS: '600' });
    const inFlight = get(`${service.base}/`);
    await sleep(200);
    const signalledAt = Date.now();
    service.proc.child.kill('SIGTERM');
    expect(await inFlight).toMatchObject({ status: 200, body: { service: 'sample-service' } });
    expect((await service.proc.exited).code).toBe(0);
    // Not held open by the kept-alive connection the answer went out on (Node keeps one 5 s by default).
    expect(Date.now() - signalledAt).toBeLessThan(2_000);
    await expect(fetch(`${service.base}/`)).rejects.toThrow();
  });
});
