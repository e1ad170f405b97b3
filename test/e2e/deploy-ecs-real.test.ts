import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { createService, describe as describeService, waitForSteady } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { SAMPLE_REPOSITORY, sampleContainer } from '../support/sample-service';
import { servedVersions, startSampleStack, type SampleStack } from '../support/sample-stack';

// deploy-ecs against tasks that are real processes of the sample service: a real start-up crash and a real
// failing health check, not scripted outcomes.
let stack: SampleStack;
let sandbox: Sandbox;
let database: SampleStack['database'];

const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

const container = (name: string, extra: Partial<ContainerDefinition> = {}) => sampleContainer(name, database.url, extra);
const served = (cluster: string, service: string) => servedVersions(sandbox, cluster, service);

beforeAll(async () => {
  stack = await startSampleStack({ timeScale: 0.1 });
  ({ sandbox, database } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

describe('deploy-ecs with real processes', () => {
  test('a healthy release rolls out and every task then serves it', async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'catalog',
      image: `${SAMPLE_REPOSITORY}:v1`,
      deploymentConfiguration: breaker,
      containers: [container('catalog')],
    });
    expect(await served(cluster, service)).toEqual(['v1', 'v1']);

    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: sandbox.env() });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(await served(cluster, service)).toEqual(['v2', 'v2']);
  });

  test('a release that crashes at start-up for a missing variable is rolled back by ECS and reported with its log line', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, {
      service: 'checkout',
      image: `${SAMPLE_REPOSITORY}:v1`,
      deploymentConfiguration: breaker,
      containers: [container('checkout')],
    });
    // The new task definition file forgot DATABASE_URL: the process exits 1 at start-up.
    const dir = mkdtempSync(join(tmpdir(), 'release-'));
    const broken = container('checkout', { environment: [{ name: 'REQUIRED_MIGRATION', value: '002_add_price' }] });
    writeFileSync(
      join(dir, 'task-definition.json'),
      JSON.stringify({
        family: 'checkout',
        executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [broken],
      }),
    );

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, 'task-definition': 'task-definition.json', image: `${SAMPLE_REPOSITORY}:v3` },
      { env: sandbox.env(), cwd: dir },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const [message] = errorsOf(run);
    expect(message).toContain('exited with code 1');
    expect(message).toContain('Error: required environment variable DATABASE_URL is not set');
    expect(run.log).toContain('environment -DATABASE_URL');
    const settled = await waitForSteady(sandbox, cluster, service, 60_000);
    expect(settled.taskDefinition).toBe(taskDefinitionArn);
    expect(await served(cluster, service)).toEqual(['v1', 'v1']);
  });

  test('a release whose health check fails for a real reason (its migration never ran) is reported as a health-check failure', async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'ledger',
      image: `${SAMPLE_REPOSITORY}:v1`,
      deploymentConfiguration: breaker,
      containers: [container('ledger')],
    });

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${SAMPLE_REPOSITORY}:v4`, environment: 'REQUIRED_MIGRATION=003_unique_sku' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(errorsOf(run)[0]).toContain('failed its health checks');
    expect((await describeService(sandbox, cluster, service)).deployments?.length).toBeGreaterThanOrEqual(1);
  });
});
