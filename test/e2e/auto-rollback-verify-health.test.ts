import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { createService, describe as describeService } from '../support/ecs-fixtures';
import { startLoad } from '../support/load';
import { createTargetGroup } from '../support/load-balancer';
import { errorsOf, runBundledAction } from '../support/run-action';
import { SAMPLE_REPOSITORY, sampleContainer } from '../support/sample-service';
import { startSampleStack, type SampleStack } from '../support/sample-stack';

// The chain a workflow runs, outputs feeding inputs: deploy-ecs ships a release that ECS and the load balancer
// call healthy but that answers 500 to every request; verify-health catches it through the load balancer;
// auto-rollback (if: failure()) returns the service to deploy-ecs's previous-task-definition-arn.
let stack: SampleStack;
let sandbox: Sandbox;
let database: SampleStack['database'];

beforeAll(async () => {
  // Health checks every 5 s run every 0.5 s; the 20 s deregistration delay lasts 2 s.
  stack = await startSampleStack({ timeScale: 0.1 });
  ({ sandbox, database } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

async function answer(url: string): Promise<{ status: number; version?: string }> {
  const response = await fetch(`${url}/`);
  return { status: response.status, version: ((await response.json()) as { version?: string }).version };
}

test('a release answering 500 is caught by verify-health and rolled back; requests through the load balancer succeed again', async () => {
  // A liveness check: any answer, even a 500, counts as healthy, so the load balancer and ECS see nothing wrong.
  const { targetGroupArn, url } = await createTargetGroup(sandbox, 'storefront-tg', 20, '200-599');
  const {
    cluster,
    service,
    taskDefinitionArn: v1,
  } = await createService(sandbox, {
    service: 'storefront',
    image: `${SAMPLE_REPOSITORY}:v1`,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    // No container health check: the load balancer's is the only one, as for many services.
    containers: [sampleContainer('storefront', database.url, { healthCheck: undefined })],
    loadBalancers: [{ targetGroupArn, containerName: 'storefront', containerPort: 8080 }],
  });
  expect(await answer(url)).toEqual({ status: 200, version: 'v1' });
  const load = startLoad(`${url}/`, { perSecond: 25, maxDurationMs: 120_000 });

  const deploy = await runBundledAction(
    'deploy-ecs',
    { cluster, service, image: `${SAMPLE_REPOSITORY}:v2`, environment: 'FAIL_MODE=500' },
    { env: sandbox.env() },
  );
  expect(deploy.outputs.status).toBe('succeeded');

  const verify = await runBundledAction('verify-health', { url: `${url}/`, interval: '0.2s', timeout: '30s' }, { env: sandbox.env() });
  expect(verify.exitCode).toBe(1);
  expect(verify.outputs.healthy).toBe('false');

  const rollback = await runBundledAction(
    'auto-rollback',
    {
      cluster,
      service,
      'task-definition': deploy.outputs['previous-task-definition-arn'],
      reason: `verify-health failed: ${errorsOf(verify)[0]}`,
    },
    { env: sandbox.env() },
  );
  // A second of traffic after the rollback's verdict, to show that it holds.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const traffic = await load.stop();

  expect(rollback.exitCode).toBe(0);
  expect(rollback.outputs['rolled-back']).toBe('true');
  expect(rollback.outputs['task-definition-arn']).toBe(v1);
  expect(rollback.summary).toContain('verify-health failed: Unhealthy');
  expect((await describeService(sandbox, cluster, service)).taskDefinition).toBe(v1);
  expect(await answer(url)).toEqual({ status: 200, version: 'v1' });

  // The release did fail users (so this test could fail), and none once the rollback was done.
  expect(traffic.failed).toBeGreaterThan(0);
  const firstBad = Math.min(...traffic.failures.map((f) => f.at));
  const lastBad = Math.max(...traffic.failures.map((f) => f.at));
  expect(firstBad).toBeGreaterThanOrEqual(deploy.startedAt);
  expect(lastBad).toBeLessThanOrEqual(rollback.finishedAt);
  console.log(
    `requests through the load balancer failed for ${((lastBad - firstBad) / 1000).toFixed(1)}s (${traffic.failed} of ${traffic.sent}); ` +
      `verify-health failed ${((verify.finishedAt - firstBad) / 1000).toFixed(1)}s after the first bad answer; the rollback took ${rollback.outputs['duration-seconds']}s`,
  );
});
