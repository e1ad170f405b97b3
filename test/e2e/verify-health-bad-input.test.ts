import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, REGISTRY } from '../support/ecs-fixtures';
import { startLocalServer, type RunningServer } from '../support/health-servers';
import { errorsOf, runBundledAction } from '../support/run-action';

// Every bad input is refused with one error naming the input, before the first request reaches the service.
let sandbox: Sandbox;
let server: RunningServer;
let requests = 0;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
  server = await startLocalServer((_req, res) => {
    requests += 1;
    res.end('ok');
  });
});
afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

const verify = (inputs: Record<string, string>) => runBundledAction('verify-health', inputs, { env: sandbox.env() });

describe('verify-health refuses bad input before probing', () => {
  const url = () => `${server.base}/health`;
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['no url', () => ({}), /^Input 'url' is required but was not given\.$/],
    [
      'a URL without a scheme',
      () => ({ url: 'example.com/health' }),
      /^Input 'url' must hold absolute URLs such as https:\/\/example\.com\/health, one a line; "example\.com\/health" is not a URL\.$/,
    ],
    [
      'a URL of another scheme',
      () => ({ url: 'tcp://example.com:80' }),
      /^Input 'url' must hold http:\/\/ or https:\/\/ URLs; "tcp:\/\/example\.com:80" uses tcp\.$/,
    ],
    [
      'a malformed expected-status',
      () => ({ url: url(), 'expected-status': '2xx' }),
      /^Input 'expected-status' must be status codes or ranges such as 200-299 or 200,204; got "2xx": "2xx" is neither a status code nor a range\.$/,
    ],
    [
      'a timeout the thresholds can never reach',
      () => ({ url: url(), warmup: '10s', interval: '2s', timeout: '12s' }),
      /^Input 'timeout' is 12s, shorter than the check can ever take to decide: warmup 10s \+ 3 rounds × interval 2s = 16s\. Set timeout to at least 16s/,
    ],
    ['a zero interval', () => ({ url: url(), interval: '0s' }), /^Input 'interval' must be longer than zero/],
    [
      'a malformed duration',
      () => ({ url: url(), bake: 'a while' }),
      /^Input 'bake' must be a duration such as 90s, 15m, 1h or a number of seconds; got "a while"\.$/,
    ],
    [
      'a threshold of zero',
      () => ({ url: url(), 'failure-threshold': '0' }),
      /^Input 'failure-threshold' must be a whole number of at least 1; got "0"\.$/,
    ],
    [
      'a header line without a name',
      () => ({ url: url(), headers: 'Bearer s3cret-value' }),
      /^Input 'headers' must hold "Name: value" lines/,
    ],
    [
      'cluster without service',
      () => ({ url: url(), cluster: 'prod', region: 'us-east-1' }),
      /^Input 'service' is required when 'cluster' is given/,
    ],
    [
      'a service that does not exist',
      () => ({ url: url(), cluster: 'prod', service: 'ghost', region: 'us-east-1' }),
      /^Input 'service': there is no active service "ghost" in cluster "prod"/,
    ],
    [
      'a task-definition that names a family, not a revision',
      () => ({ url: url(), cluster: 'prod', service: 'web', region: 'us-east-1', 'task-definition': 'web' }),
      /^Input 'task-definition' must name one revision, as family:revision \(web:12\) or its ARN/,
    ],
  ];

  beforeAll(async () => {
    await createService(sandbox, { service: 'web', image: `${REGISTRY}/web:v1` });
  });

  test.each(cases)('%s', async (_name, inputs, message) => {
    const before = requests;
    const run = await verify(inputs());
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(message)]);
    expect(requests).toBe(before);
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
