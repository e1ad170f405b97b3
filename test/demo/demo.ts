/**
 * `npm run demo`: the suite's main job on the local sandbox, with real processes of the sample service on an
 * embedded PostgreSQL. A good release rolls out; then a release that crashes at start-up (a missing
 * environment variable) is caught by deploy-ecs with its cause, while ECS's circuit breaker puts the good
 * release back. Each task's answer over HTTP shows which release it serves, and a small steady load sent
 * through the service's load balancer during each release counts the requests users would have seen fail.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { start } from '@ecs-deploy/sandbox';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { DescribeTasksCommand, ListTasksCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { createService, ecsClient, waitForSteady } from '../support/ecs-fixtures';
import { createTargetGroup } from '../support/load-balancer';
import { startLoad, type LoadResult } from '../support/load';
import { runBundledAction } from '../support/run-action';
import { REPOSITORY_ROOT, SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';
import { bold, dim, green, red, renderLogLine, renderSummary } from './terminal';

/** Requests a second a small audience sends through the load balancer while a release rolls out. */
const LOAD_PER_SECOND = 20;

function reportLoad(result: LoadResult): void {
  const line = `  ${result.sent} requests through the load balancer during the release, ${result.failed} failed`;
  console.log(result.failed === 0 ? green(line) : red(line));
}

async function step(title: string, inputs: Record<string, string>, env: Record<string, string>, cwd: string) {
  console.log(`\n${bold(`━━ ${title}`)}  ${dim('uses: ./actions/deploy-ecs')}`);
  const run = await runBundledAction('deploy-ecs', inputs, {
    env,
    cwd,
    onLine: (line) => {
      const rendered = renderLogLine(line.text);
      if (rendered !== undefined) console.log(rendered);
    },
  });
  const seconds = ((run.finishedAt - run.startedAt) / 1000).toFixed(1);
  console.log(run.exitCode === 0 ? green(`  ✔ step succeeded in ${seconds}s`) : red(`  ✘ step failed in ${seconds}s (exit ${run.exitCode})`));
  console.log(dim('  outputs: ') + Object.entries(run.outputs).map(([k, v]) => `${k}=${v}`).join('  '));
  console.log(`\n${dim('  ── job summary ──')}\n${renderSummary(run.summary)}`);
  return run;
}

/** What the running tasks answer over HTTP: the release each one really serves. */
async function servedVersions(sandbox: Sandbox, cluster: string, service: string): Promise<string[]> {
  const ecs = ecsClient(sandbox);
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service }));
  if (taskArns.length === 0) return [];
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
  const ports = tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.containers?.[0]?.networkBindings?.[0]?.hostPort);
  const answers = await Promise.all(
    ports.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version: string }).version),
  );
  return answers.sort();
}

function taskDefinition(databaseUrl: string | undefined, accountId: string) {
  const environment = [{ name: 'REQUIRED_MIGRATION', value: '002_add_price' }];
  if (databaseUrl) environment.push({ name: 'DATABASE_URL', value: databaseUrl });
  return {
    family: 'storefront',
    executionRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      <ContainerDefinition>{
        name: 'storefront',
        image: `${SAMPLE_REPOSITORY}:1.0.0`,
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        environment,
        healthCheck: { command: ['CMD-SHELL', `node ${SAMPLE_SERVICE_DIR}/healthcheck.mjs`], interval: 5, timeout: 5, retries: 2, startPeriod: 0 },
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/storefront', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' },
        },
      },
    ],
  };
}

async function main() {
  const workspace = mkdtempSync(join(tmpdir(), 'ecs-deploy-demo-'));
  const database = await startDatabase();
  const sandbox = await start({ timeScale: 0.2, catalog: sampleServiceCatalog() });
  try {
    console.log(bold('ECS deploy suite demo') + dim(` — sandbox at ${sandbox.endpoint}, ECS intervals ×0.2, tasks are real processes`));
    await promisify(execFile)(process.execPath, [`${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', '2'], { cwd: REPOSITORY_ROOT, env: { ...process.env, DATABASE_URL: database.url } });
    console.log(dim('database migrated to 002_add_price'));

    const good = taskDefinition(database.url, sandbox.accountId);
    const { targetGroupArn, url } = await createTargetGroup(sandbox, 'storefront', 10);
    const { cluster, service } = await createService(sandbox, {
      service: 'storefront',
      image: `${SAMPLE_REPOSITORY}:1.0.0`,
      desiredCount: 3,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      containers: good.containerDefinitions,
      loadBalancers: [{ targetGroupArn, containerName: 'storefront', containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 10,
    });
    console.log(dim(`its load balancer listens on ${url}`));
    console.log(dim(`service ${service} in cluster ${cluster} runs storefront 1.0.0 on 3 tasks`));
    console.log(dim(`tasks answer: ${(await servedVersions(sandbox, cluster, service)).join(', ')}`));

    writeFileSync(join(workspace, 'task-definition.json'), JSON.stringify(good, null, 2));
    let load = startLoad(`${url}/items`, { perSecond: LOAD_PER_SECOND, maxDurationMs: 90_000 });
    const first = await step('Release 1.1.0', { cluster, service, 'task-definition': 'task-definition.json', image: `${SAMPLE_REPOSITORY}:1.1.0` }, sandbox.env(), workspace);
    const firstLoad = await load.stop();
    reportLoad(firstLoad);
    const afterFirst = await servedVersions(sandbox, cluster, service);
    console.log(dim(`  tasks answer: ${afterFirst.join(', ')}`));

    // Someone removed DATABASE_URL from the task definition: the new release exits at start-up.
    writeFileSync(join(workspace, 'task-definition.json'), JSON.stringify(taskDefinition(undefined, sandbox.accountId), null, 2));
    load = startLoad(`${url}/items`, { perSecond: LOAD_PER_SECOND, maxDurationMs: 90_000 });
    const second = await step('Release 1.2.0 (DATABASE_URL missing)', { cluster, service, 'task-definition': 'task-definition.json', image: `${SAMPLE_REPOSITORY}:1.2.0` }, sandbox.env(), workspace);
    await waitForSteady(sandbox, cluster, service, 60_000);
    const secondLoad = await load.stop();
    reportLoad(secondLoad);
    const afterSecond = await servedVersions(sandbox, cluster, service);
    console.log(dim(`  tasks answer: ${afterSecond.join(', ')}`));

    const ok =
      first.exitCode === 0 &&
      afterFirst.every((v) => v === '1.1.0') &&
      second.exitCode === 1 &&
      second.outputs.status === 'rolled-back' &&
      firstLoad.failed === 0 &&
      secondLoad.failed === 0;
    console.log(
      `\n${ok ? green('Demo finished as expected') : red('Demo did not behave as expected')}: ` +
        `1.1.0 ${first.outputs.status}; 1.2.0 ${second.outputs.status}, and the tasks serve ${afterSecond.join(', ')} again; ` +
        `${firstLoad.failed + secondLoad.failed} of ${firstLoad.sent + secondLoad.sent} requests through the load balancer failed.`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await sandbox.stop();
    await database.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

await main();
