import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { describe as describeService } from '../support/ecs-fixtures';
import { elbClient } from '../support/load-balancer';
import { startLoad } from '../support/load';
import { errorsOf, runBundledAction } from '../support/run-action';
import { SAMPLE_REPOSITORY } from '../support/sample-service';
import { sampleServiceBehindLoadBalancer, startSampleStack, type SampleStack } from '../support/sample-stack';

// The sample service's real processes behind the sandbox's load balancer, deployed by the bundled deploy-ecs
// while a client sends a steady stream of requests through the load balancer, as users would.
let stack: SampleStack;

const REQUESTS_PER_SECOND = 25;

const serviceBehindLoadBalancer = (name: string, deploymentConfiguration: DeploymentConfiguration) =>
  sampleServiceBehindLoadBalancer(stack.sandbox, stack.database.url, name, {
    desiredCount: 2,
    deploymentConfiguration,
    healthCheckGracePeriodSeconds: 10,
    logs: true,
  });

async function version(url: string): Promise<string> {
  return ((await (await fetch(`${url}/`)).json()) as { version: string }).version;
}

beforeAll(async () => {
  // Health checks every 5 s run every 0.5 s; the 20 s deregistration delay lasts 2 s.
  stack = await startSampleStack({ timeScale: 0.1 });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the load balancer during deployments of real processes', () => {
  test('a rolling deploy with minimumHealthyPercent 100 fails no request of a steady stream', async () => {
    const { cluster, service, targetGroupArn, url } = await serviceBehindLoadBalancer('storefront', {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
    });
    // Both tasks are registered and healthy before the service counts as steady.
    const before = await elbClient(stack.sandbox).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    expect(before.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy', 'healthy']);
    expect(await version(url)).toBe('v1');

    const load = startLoad(`${url}/items`, { perSecond: REQUESTS_PER_SECOND, maxDurationMs: 60_000 });
    const startedAt = Date.now();
    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: stack.sandbox.env() });
    const result = await load.stop();
    const seconds = (Date.now() - startedAt) / 1000;

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(result.failures).toEqual([]);
    // The stream really ran through the whole deploy (the timer may lag a little on a busy machine).
    expect(result.sent).toBeGreaterThanOrEqual(Math.floor(seconds * REQUESTS_PER_SECOND * 0.6));
    expect(result.sent).toBeGreaterThanOrEqual(40);
    expect(await version(url)).toBe('v2');
    const after = await elbClient(stack.sandbox).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    expect(after.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy', 'healthy']);
  });

  test('the same deploy with minimumHealthyPercent 0 and maximumPercent 100 does fail requests, so the test above could fail', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('basket', { minimumHealthyPercent: 0, maximumPercent: 100 });

    const load = startLoad(`${url}/items`, { perSecond: REQUESTS_PER_SECOND, maxDurationMs: 60_000 });
    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: stack.sandbox.env() });
    const result = await load.stop();

    expect(run.outputs.status).toBe('succeeded');
    // Both old tasks drain at once and nothing healthy is left: the load balancer answers 503.
    expect(result.failed).toBeGreaterThan(0);
    expect(new Set(result.failures.map((f) => f.status))).toEqual(new Set([503]));
    expect(await version(url)).toBe('v2');
  });

  test('a release whose targets fail the load balancer health check is replaced by ECS, trips the circuit breaker, and users never see it', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('payments', {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });

    const load = startLoad(`${url}/items`, { perSecond: REQUESTS_PER_SECOND, maxDurationMs: 90_000 });
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${SAMPLE_REPOSITORY}:v5`, environment: 'FAIL_MODE=500' },
      { env: stack.sandbox.env() },
    );
    const result = await load.stop();

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(errorsOf(run)[0]).toContain(
      'failed its health checks (Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:',
    );
    const events = (await describeService(stack.sandbox, cluster, service)).events?.map((e) => e.message ?? '') ?? [];
    const unhealthy = events.filter((m) =>
      / \(task [0-9a-f]{32}\) \(port \d+\) is unhealthy in \(target-group arn:aws:elasticloadbalancing:[^)]+\) due to \(reason Health checks failed with these codes: \[500\]\)\.$/.test(
        m,
      ),
    );
    // The circuit breaker's threshold for 2 tasks is 3 failed tasks.
    expect(unhealthy.length).toBeGreaterThanOrEqual(3);
    const stopped = stack.sandbox.history.filter(
      (e) =>
        e.kind === 'task-stopped' &&
        e.serviceName === service &&
        e.stoppedReason?.startsWith('Task failed ELB health checks in (target-group arn:'),
    );
    expect(stopped.length).toBeGreaterThanOrEqual(3);
    // The broken tasks never passed a health check, so the load balancer never sent them a request.
    expect(result.failures).toEqual([]);
    expect(await version(url)).toBe('v1');
  });
});
