import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, REGISTRY } from '../support/ecs-fixtures';
import { startLocalServer, type RunningServer } from '../support/health-servers';
import { errorsOf, runBundledAction } from '../support/run-action';
import { expectRefused } from '../support/bad-input';
import { endToEnd } from './bad-input/case';
import { verifyHealthBadInputs } from './bad-input/verify-health.cases';

let sandbox: Sandbox;
let server: RunningServer;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
  server = await startLocalServer((_req, res) => {
    res.end('ok');
  });
});
afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

const verify = (inputs: Record<string, string>) => runBundledAction('verify-health', inputs, { env: sandbox.env() });

describe('verify-health refuses bad input before probing', () => {
  beforeAll(async () => {
    await createService(sandbox, { service: 'web', image: `${REGISTRY}/web:v1` });
  });

  // The matrix's rows only a run can refuse, and a few the parser refuses, through the bundled action. Their url
  // is a closed port: no row may get as far as a request.
  test.each(endToEnd(verifyHealthBadInputs).map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction('verify-health', row.inputs, { env: { ...sandbox.env(), ...row.env } });
    expectRefused(run, row, sandbox.calls.slice(callsBefore));
    expect(run.log).not.toContain('s3cret-value');
    expect(run.outputs.healthy).toBeUndefined();
  });
});

describe('verify-health says plainly what stops a request', () => {
  test('a host that does not resolve', async () => {
    const run = await verify({ url: 'http://no-such-service.invalid/health', interval: '0.1s', timeout: '10s', 'failure-threshold': '2' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(errorsOf(run)[0]).toMatch(
      /http:\/\/no-such-service\.invalid\/health: host "no-such-service\.invalid" does not resolve \((ENOTFOUND|EAI_AGAIN)\)/,
    );
  });

  test('TLS failing (https to a port that speaks plain HTTP)', async () => {
    const run = await verify({
      url: `${server.base.replace('http:', 'https:')}/health`,
      interval: '0.1s',
      timeout: '10s',
      'failure-threshold': '2',
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/: TLS failed with 127\.0\.0\.1:\d+: /);
  });

  test('a request slower than request-timeout', async () => {
    const stalling = await startLocalServer(() => undefined);
    try {
      const run = await verify({
        url: `${stalling.base}/`,
        interval: '0.1s',
        timeout: '10s',
        'request-timeout': '300ms',
        'failure-threshold': '2',
      });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)[0]).toContain('no complete answer within 300ms (request-timeout)');
    } finally {
      await stalling.stop();
    }
  });
});
