import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// An endpoint nobody listens on, or a host that does not resolve, fails the step on the first connection error
// (connection errors are not retried: the SDK's 8 standard attempts would back off for most of a minute), with
// a message naming the host and the setting to check. A region that does not exist is refused before any call.

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_REGION: 'us-east-1' };

/** A local port that was just closed: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each action's first AWS call with inputs that pass the parser.
const workspace = mkdtempSync(join(tmpdir(), 'unreachable-'));
writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
const ACTIONS: [string, Record<string, string>, Record<string, string>][] = [
  ['deploy-ecs', { cluster: 'prod', service: 'web', image: 'web:2' }, {}],
  ['run-migration', { cluster: 'prod', service: 'web', command: 'node migrate.mjs' }, {}],
  ['verify-health', { url: 'http://127.0.0.1:9/', cluster: 'prod', service: 'web' }, {}],
  ['auto-rollback', { cluster: 'prod', service: 'web', 'task-definition': 'web:1' }, {}],
  ['build-push', { repository: 'web' }, { GITHUB_SHA: 'a'.repeat(40), GITHUB_REPOSITORY: 'octo/web' }],
];

const seconds = (run: ActionRun) => (run.finishedAt - run.startedAt) / 1000;
const measured: string[] = [];
afterAll(() => {
  // The figure the report quotes; the tests assert the message and a generous bound, not a tight time.
  console.log(`time to fail on an unreachable endpoint:\n${measured.join('\n')}`);
});

describe('an endpoint that refuses connections fails the step in seconds, saying so', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  test.each(ACTIONS)('%s', async (action, inputs, env) => {
    const run = await runBundledAction(action, inputs, {
      env: { ...CREDENTIALS, ...env, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` },
      cwd: workspace,
    });
    measured.push(`  ${action} ECONNREFUSED: ${seconds(run).toFixed(2)}s`);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Could not reach AWS: the connection to 127.0.0.1:${port} was refused (ECONNREFUSED): nothing listens there. The call was not retried. AWS_ENDPOINT_URL is http://127.0.0.1:${port}: check it, or unset it to use AWS's own endpoint for the region.`,
    ]);
    expect(seconds(run)).toBeLessThan(10);
  });
});

describe('an endpoint host that does not resolve fails the step in seconds, naming the host', () => {
  test.each(ACTIONS.slice(0, 2))('%s', async (action, inputs, env) => {
    const run = await runBundledAction(action, inputs, {
      env: { ...CREDENTIALS, ...env, AWS_ENDPOINT_URL: 'http://no-such-endpoint.invalid:4566' },
      cwd: workspace,
    });
    measured.push(`  ${action} ENOTFOUND: ${seconds(run).toFixed(2)}s`);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /^Could not reach AWS: (the host no-such-endpoint\.invalid does not resolve \(ENOTFOUND\)|the DNS lookup of no-such-endpoint\.invalid failed for now \(EAI_AGAIN\).*)\. The call was not retried\. AWS_ENDPOINT_URL is http:\/\/no-such-endpoint\.invalid:4566: check it/,
      ),
    ]);
    expect(seconds(run)).toBeLessThan(15);
  });
});

describe('a region that does not exist is refused before any call', () => {
  const sandbox = useSandbox({ timeScale: 0.2 });

  test.each(ACTIONS.slice(0, 4))('%s', async (action, inputs) => {
    const callsBefore = sandbox.calls.length;
    const run = await runBundledAction(action, inputs, { env: { ...sandbox.env(), AWS_REGION: 'eu-wset-1' }, cwd: workspace });
    measured.push(`  ${action} unknown region: ${seconds(run).toFixed(2)}s`);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      "AWS_REGION is \"eu-wset-1\", which is not an AWS region; did you mean eu-west-1? Set AWS_REGION (or the 'region' input) to a region such as us-east-1, as the AWS console's region menu shows it.",
    ]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });
});
