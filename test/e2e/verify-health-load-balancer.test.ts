import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { errorsOf, runBundledAction } from '../support/run-action';
import { SAMPLE_REPOSITORY } from '../support/sample-service';
import { sampleServiceBehindLoadBalancer, startSampleStack, type SampleStack } from '../support/sample-stack';

// The sample service run by the sandbox as real processes behind its load balancer: deploy-ecs releases it,
// then verify-health probes it through the load balancer and reads the service and its targets over the wire.
let stack: SampleStack;
let sandbox: Sandbox;

const serviceBehindLoadBalancer = (name: string) =>
  sampleServiceBehindLoadBalancer(sandbox, stack.database.url, name, { deregistrationDelaySeconds: 1, healthCheckGracePeriodSeconds: 30 });

beforeAll(async () => {
  stack = await startSampleStack({ timeScale: 0.1 });
  sandbox = stack.sandbox;
});
afterAll(async () => {
  await stack?.stop();
});

describe('verify-health through the sandbox load balancer', () => {
  test('after a healthy deploy: healthy, with the service steady and every target healthy', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('catalog');
    const deploy = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: sandbox.env() });
    expect(deploy.outputs.status).toBe('succeeded');

    const run = await runBundledAction(
      'verify-health',
      { url: `${url}/health`, 'body-contains': '"version":"v2"', interval: '0.2s', timeout: '60s', cluster, service },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.summary).toMatch(/\| service catalog \| ok \| steady: 2 of 2 tasks running, one deployment, COMPLETED \|/);
    expect(run.summary).toMatch(/\| target group catalog-tg \| ok \| 2 of 2 targets healthy \|/);
  });

  test('a slow release: ECS and the load balancer call it healthy, max-latency-ms does not', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('search');
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${SAMPLE_REPOSITORY}:v2`, environment: 'SLOW_MS=250' },
      { env: sandbox.env() },
    );
    expect(deploy.outputs.status).toBe('succeeded');

    const run = await runBundledAction(
      'verify-health',
      {
        url: `${url}/health`,
        'body-contains': '"version":"v2"',
        interval: '0.05s',
        timeout: '60s',
        'max-latency-ms': '150',
        cluster,
        service,
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    // Every answer passed on its own; only the p95 of the window of 20 failed the rounds.
    expect(run.outputs.failures).toBe('0');
    expect(run.outputs.checks).toBe('22');
    expect(Number(run.outputs['p95-latency-ms'])).toBeGreaterThanOrEqual(250);
    expect(errorsOf(run)[0]).toMatch(
      /after 3 failing rounds in a row: p95 latency \d+ms over the last 20 answers exceeds max-latency-ms 150\.$/,
    );
    expect(run.summary).toMatch(/\| target group search-tg \| ok \| 2 of 2 targets healthy \|/);
  });

  test('a release answering 500: its targets are reported unhealthy with their reason code', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('checkout');
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${SAMPLE_REPOSITORY}:v2`, environment: 'FAIL_MODE=500', wait: 'false' },
      { env: sandbox.env() },
    );
    expect(deploy.outputs.status).toBe('registered');

    const run = await runBundledAction(
      'verify-health',
      { url: `${url}/health`, interval: '0.2s', timeout: '60s', warmup: '3s', 'failure-threshold': '5', cluster, service },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.log).toMatch(
      /target group checkout-tg: \d of \d targets not healthy: [\d.]+:\d+ unhealthy \(Target\.ResponseCodeMismatch: [^)]*500/,
    );
    // Five failing rounds, or before them the first task the load balancer's health checks stopped (fatal at once).
    expect(errorsOf(run)[0]).toMatch(
      /^Unhealthy [\d.]+m?s in, (after 5 failing rounds in a row|because a task crashed): service checkout: 2 deployments at once/,
    );
    // The load balancer sends requests only to the old, healthy tasks: the URL alone would have called this
    // release healthy. The service and its targets are what catch it.
    expect(run.outputs.failures).toBe('0');
    // The summary shows the state when the verdict came: the targets failing on the 500s, or the task the load
    // balancer's health checks had ECS stop (its replacement's target then still in initial checks).
    expect(run.summary).toMatch(
      /\| target group checkout-tg \| failing \| \d of \d targets not healthy: .*Target\.ResponseCodeMismatch|\| tasks of service checkout \| failing \| task [0-9a-f]+ crashed: it failed its health checks \(Task failed ELB health checks/,
    );
  });
});
