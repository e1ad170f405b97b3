import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTasksCommand, ListTasksCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { createService, describe as describeService, ecsClient, waitForSteady } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { REPOSITORY_ROOT, SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';

// deploy-ecs against tasks that are real processes of the sample service: a real start-up crash and a real
// failing health check, not scripted outcomes.
let sandbox: Sandbox;
let database: { url: string; stop(): Promise<void> };

const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

function container(name: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name,
    image: `${SAMPLE_REPOSITORY}:v1`,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    environment: [
      { name: 'DATABASE_URL', value: database.url },
      { name: 'REQUIRED_MIGRATION', value: '002_add_price' },
    ],
    healthCheck: { command: ['CMD-SHELL', `node ${SAMPLE_SERVICE_DIR}/healthcheck.mjs`], interval: 5, timeout: 5, retries: 2, startPeriod: 0 },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' },
    },
    ...extra,
  };
}

/** The versions the running tasks report over HTTP, read from their network bindings. */
async function servedVersions(cluster: string, service: string): Promise<string[]> {
  const ecs = ecsClient(sandbox);
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service }));
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
  const ports = tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.containers?.[0]?.networkBindings?.[0]?.hostPort);
  return Promise.all(ports.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version: string }).version));
}

beforeAll(async () => {
  database = await startDatabase();
  // Asynchronously: the embedded database answers from this very process.
  await promisify(execFile)(process.execPath, [`${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', '2'], { cwd: REPOSITORY_ROOT, env: { ...process.env, DATABASE_URL: database.url } });
  sandbox = await start({ timeScale: 0.1, catalog: sampleServiceCatalog() });
});
afterAll(async () => {
  await sandbox?.stop();
  await database?.stop();
});

describe('deploy-ecs with real processes', () => {
  test('a healthy release rolls out and every task then serves it', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'catalog', image: `${SAMPLE_REPOSITORY}:v1`, deploymentConfiguration: breaker, containers: [container('catalog')] });
    expect(await servedVersions(cluster, service)).toEqual(['v1', 'v1']);

    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: sandbox.env() });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(await servedVersions(cluster, service)).toEqual(['v2', 'v2']);
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

    const run = await runBundledAction('deploy-ecs', { cluster, service, 'task-definition': 'task-definition.json', image: `${SAMPLE_REPOSITORY}:v3` }, { env: sandbox.env(), cwd: dir });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const [message] = errorsOf(run);
    expect(message).toContain('exited with code 1');
    expect(message).toContain('Error: required environment variable DATABASE_URL is not set');
    expect(run.log).toContain('environment -DATABASE_URL');
    const settled = await waitForSteady(sandbox, cluster, service, 60_000);
    expect(settled.taskDefinition).toBe(taskDefinitionArn);
    expect(await servedVersions(cluster, service)).toEqual(['v1', 'v1']);
  });

  test('a release whose health check fails for a real reason (its migration never ran) is reported as a health-check failure', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'ledger', image: `${SAMPLE_REPOSITORY}:v1`, deploymentConfiguration: breaker, containers: [container('ledger')] });

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
