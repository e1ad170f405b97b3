import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetLogEventsCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  StopTaskCommand,
  type ContainerDefinition,
  type Task,
} from '@aws-sdk/client-ecs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { node24 } from '../support/node24';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { basicSampleContainer, SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';
import { PLANTED, PLANTED_DATABASE_URL, plantedEnvironment } from '../support/secret-sweep';

// run-migration against the sample service's real migration process (node-pg-migrate on an embedded
// PostgreSQL): its real output, its real exit codes. The tests share one database and run in order.
let sandbox: Sandbox;
let database: { url: string; stop(): Promise<void> };
let cluster: string;
const service = 'shop';
const MIGRATE = `node ${SAMPLE_SERVICE_DIR}/migrate.mjs`;
const GITHUB = {
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SERVER_URL: 'https://github.com',
};

const container = (): ContainerDefinition => basicSampleContainer('shop', database.url, { logs: true });

const migrate = (inputs: Record<string, string>) =>
  runBundledAction('run-migration', { cluster, service, ...inputs }, { env: { ...sandbox.env(), ...GITHUB } });

async function describeTask(taskArn: string): Promise<Task> {
  const answer = await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster, tasks: [taskArn], include: ['TAGS'] }));
  return answer.tasks?.[0] as Task;
}

async function familyTasks(): Promise<string[]> {
  const ecs = ecsClient(sandbox);
  const running = await ecs.send(new ListTasksCommand({ cluster, family: service, desiredStatus: 'RUNNING' }));
  const stopped = await ecs.send(new ListTasksCommand({ cluster, family: service, desiredStatus: 'STOPPED' }));
  return [...(running.taskArns ?? []), ...(stopped.taskArns ?? [])];
}

function lineAt(run: ActionRun, text: string): number {
  const line = run.lines.find((l) => l.text.includes(text));
  if (!line) throw new Error(`no line with "${text}" in:\n${run.log}`);
  return line.at;
}

beforeAll(async () => {
  database = await startDatabase();
  sandbox = await start({ timeScale: 0.1, catalog: sampleServiceCatalog() });
  ({ cluster } = await createService(sandbox, { service, image: `${SAMPLE_REPOSITORY}:v1`, desiredCount: 1, containers: [container()] }));
});
afterAll(async () => {
  await sandbox?.stop();
  await database?.stop();
});

describe('run-migration with the real migration process', () => {
  let v2Revision: string;

  test("migrations of the new image succeed in the service's network, tagged with the workflow run", async () => {
    const run = await migrate({
      image: `${SAMPLE_REPOSITORY}:v2`,
      command: `${MIGRATE} up 2`,
      environment: `AUDIT_TOKEN=hunter2-token\nLOG_LEVEL=debug\n${plantedEnvironment('REPORTING_DATABASE_URL')}`,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.log).toContain('| migrated up: 001_create_items, 002_add_price');
    v2Revision = run.outputs['task-definition-arn'];
    expect(v2Revision).toMatch(/:task-definition\/shop:2$/);
    const registered = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: v2Revision }));
    expect(registered.taskDefinition?.containerDefinitions?.[0].image).toBe(`${SAMPLE_REPOSITORY}:v2`);

    const task = await describeTask(run.outputs['task-arn']);
    expect(task.taskDefinitionArn).toBe(v2Revision);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.containers?.[0].exitCode).toBe(0);
    expect(task.launchType).toBe('FARGATE');
    expect(task.startedBy).toBe('run-migration/987654321');
    expect(task.attachments?.[0].details?.find((d) => d.name === 'subnetId')?.value).toBe('subnet-0a1b2c3d');
    expect(task.overrides?.containerOverrides?.[0].command).toEqual(['node', `${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', '2']);
    expect(task.overrides?.containerOverrides?.[0].environment).toEqual([
      { name: 'AUDIT_TOKEN', value: 'hunter2-token' },
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'REPORTING_DATABASE_URL', value: PLANTED_DATABASE_URL },
      { name: 'API_TOKEN', value: PLANTED.environmentToken },
    ]);
    // The runner masks the token wherever the job log would show it; the plain setting stays readable.
    expect(run.log).toContain('::add-mask::hunter2-token');
    expect(run.log).not.toContain('::add-mask::debug');
    expect(task.tags).toEqual(
      expect.arrayContaining([
        { key: 'github:repository', value: 'acme/shop' },
        { key: 'github:commit', value: GITHUB.GITHUB_SHA },
        { key: 'github:run', value: 'https://github.com/acme/shop/actions/runs/987654321' },
      ]),
    );
    expect(run.summary).toContain('succeeded');
    expect(run.summary).toContain(`\`node ${SAMPLE_SERVICE_DIR}/migrate.mjs up 2\``);
    expect(run.summary).toMatch(/\| Exit code \| 0 \|/);
    expect(run.summary).toContain('migrated up: 001_create_items, 002_add_price');
  });

  test('deploy-ecs given the same image deploys the very revision run-migration registered', async () => {
    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: sandbox.env() });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['task-definition-arn']).toBe(v2Revision);
    expect(run.log).toContain('Reusing identical revision shop:2');
  });

  test('a migration that fails exits 3, with its error line in the job log and in the failure message', async () => {
    const run = await migrate({
      image: `${SAMPLE_REPOSITORY}:v2`,
      command: JSON.stringify(['node', `${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up']),
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('3');
    // The same image again: the revision registered by the previous run is reused, not registered anew.
    expect(run.outputs['task-definition-arn']).toBe(v2Revision);
    expect(run.log).toContain('| Error: could not create unique index "items_sku_key"');
    const [message] = errorsOf(run);
    expect(message).toContain('exited with code 3');
    expect(message).toContain('Error: could not create unique index "items_sku_key"');
    expect(message).toContain('Detail: Key (sku)=(MUG-001) is duplicated.');
    expect(run.summary).toMatch(/\| Exit code \| 3 \|/);
  });

  test('log lines reach the job log while the task still runs', async () => {
    const run = await migrate({ command: `${MIGRATE} down 2`, environment: 'MIGRATION_DELAY_MS=1500' });

    expect(run.exitCode).toBe(0);
    const task = await describeTask(run.outputs['task-arn']);
    const stoppedAt = new Date(task.stoppedAt as Date).getTime();
    // Two migrations of 1.5 s each follow the first line: it must be in the job log well before the stop.
    const first = lineAt(run, '| > Migrating files:');
    expect(first).toBeLessThan(stoppedAt - 1000);
    expect(lineAt(run, '| ### MIGRATION 002_add_price (DOWN) ###')).toBeLessThan(stoppedAt);
    // And soon after the container wrote it.
    const logs = new CloudWatchLogsClient({
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/shop',
        logStreamName: `ecs/shop/${task.taskArn?.split('/').pop()}`,
        startFromHead: true,
      }),
    );
    const written = events.events?.find((e) => e.message === '> Migrating files:')?.timestamp as number;
    expect(first - written).toBeLessThan(2500);
    // Every line once, in order.
    const printed = run.lines.filter((l) => l.text.startsWith('| ')).map((l) => l.text.slice(2));
    expect(printed).toEqual(events.events?.map((e) => e.message));
  });

  test('a migration that outlives its timeout is stopped, and the step says so', async () => {
    const run = await migrate({ command: `${MIGRATE} up`, environment: 'MIGRATION_DELAY_MS=60000', timeout: '3s' });

    expect(run.exitCode).toBe(1);
    expect(run.finishedAt - run.startedAt).toBeLessThan(20_000);
    const [message] = errorsOf(run);
    expect(message).toContain('did not finish within the timeout of 3s, so it was stopped (StopTask)');
    expect(message).toContain('working for 60000 ms...');
    const task = await describeTask(run.outputs['task-arn']);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.stopCode).toBe('UserInitiated');
    expect(task.stoppedReason).toContain('timeout');
  });

  test('a second migration of the family is refused while the first still runs, naming it', async () => {
    const first = migrate({ command: `${MIGRATE} up 1`, environment: 'MIGRATION_DELAY_MS=30000', timeout: '60s' });
    const ecs = ecsClient(sandbox);
    let running: string | undefined;
    // startedBy must be ListTasks' only filter; ECS's default desiredStatus (RUNNING) still applies.
    for (let i = 0; i < 100 && !running; i++) {
      running = (await ecs.send(new ListTasksCommand({ cluster, startedBy: 'run-migration/987654321' }))).taskArns?.[0];
      if (!running) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(running).toBeDefined();
    const before = await familyTasks();

    const second = await migrate({ command: `${MIGRATE} up 1` });

    expect(second.exitCode).toBe(1);
    const [message] = errorsOf(second);
    expect(message).toContain(`Another migration of task definition family ${service} is still running`);
    expect(message).toContain(running?.split('/').pop());
    expect(message).toContain('allow-concurrent: true');
    expect(second.outputs['task-arn']).toBeUndefined();
    expect(await familyTasks()).toEqual(before);

    await ecs.send(new StopTaskCommand({ cluster, task: running, reason: 'test over' }));
    const ended = await first;
    expect(ended.outputs['task-arn']).toBe(running);
    expect(errorsOf(ended)[0]).toContain('stopped by a StopTask call (test over)');
  });

  /** Starts the bundle as the runner does, cancels it with SIGINT (the runner's first signal) once the task runs. */
  async function cancelWhileRunning(
    inputs: Record<string, string>,
  ): Promise<{ exitCode: number | null; log: string; taskArn: string; summary: string }> {
    const workdir = mkdtempSync(join(tmpdir(), 'cancel-'));
    const summaryFile = join(workdir, 'summary.md');
    writeFileSync(summaryFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: workdir,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...sandbox.env(),
      ...GITHUB,
    };
    for (const [name, value] of Object.entries({ cluster, service, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
    const child = spawn(node24(), [resolve('actions/run-migration/dist/index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    for (let i = 0; i < 200 && !log.includes('| working for'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const exitCode = await exited;
    const taskArn = /Started task (\S+)/.exec(log)?.[1] ?? '';
    const arn = (await familyTasks()).find((candidate) => candidate.endsWith(taskArn)) ?? '';
    return { exitCode, log, taskArn: arn, summary: readFileSync(summaryFile, 'utf8') };
  }

  test('a cancelled workflow leaves the migration running and says how to follow it', async () => {
    const run = await cancelWhileRunning({ command: `${MIGRATE} up 1`, environment: 'MIGRATION_DELAY_MS=30000' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/The workflow was cancelled, but migration task \S+ is still running/);
    expect(run.log).toContain('aws logs tail /ecs/shop --log-stream-names ecs/shop/');
    const task = await describeTask(run.taskArn);
    expect(task.lastStatus).toBe('RUNNING');
    expect(run.summary).toContain('Migration in prod: cancelled');
    await ecsClient(sandbox).send(new StopTaskCommand({ cluster, task: run.taskArn, reason: 'test over' }));
  });

  test('with stop-on-cancel, a cancelled workflow stops the migration', async () => {
    const run = await cancelWhileRunning({ command: `${MIGRATE} up 1`, environment: 'MIGRATION_DELAY_MS=30000', 'stop-on-cancel': 'true' });

    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('stop-on-cancel is true, so migration task');
    const task = await describeTask(run.taskArn);
    expect(task.desiredStatus).toBe('STOPPED');
    expect(task.stoppedReason).toContain('the workflow was cancelled');
  });

  test('a task that cannot start is reported with its reason', async () => {
    // The images-exist pre-flight check would refuse this image before the task starts (preflight-images.test.ts):
    // with the checks off, the task is started and its failure to pull is what the step reports.
    const run = await migrate({ image: `${REGISTRY}/not-in-catalog:v1`, command: `${MIGRATE} up`, preflight: 'false' });

    expect(run.exitCode).toBe(1);
    const [message] = errorsOf(run);
    expect(message).toContain('the image could not be pulled');
    expect(message).toContain(
      `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${REGISTRY}/not-in-catalog:v1`,
    );
    expect(run.outputs['exit-code']).toBeUndefined();
    const task = await describeTask(run.outputs['task-arn']);
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(run.summary).toContain('TaskFailedToStart');
  });

  test('an image the catalog does not run is refused by the pre-flight check before any task starts', async () => {
    const before = await familyTasks();
    const run = await migrate({ image: `${REGISTRY}/not-in-catalog:v1`, command: `${MIGRATE} up` });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `container "shop" runs ${REGISTRY}/not-in-catalog:v1, whose repository not-in-catalog does not exist in registry 123456789012 (us-east-1). ` +
        'Correct the repository (or the account and region of its host), or create it and push the image. Nothing was changed.',
    ]);
    expect(run.outputs['task-arn']).toBeUndefined();
    expect(await familyTasks()).toEqual(before);
  });

  test("a task definition from a JSON file is registered in its own family and runs in the service's network", async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
    const definition = {
      family: 'shop-migrations',
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { ...container(), name: 'migrate', portMappings: [], command: ['node', `${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', '2'] },
      ],
    };
    writeFileSync(
      join(workspace, 'migrations.json'),
      JSON.stringify({ taskDefinition: definition, tags: [{ key: 'team', value: 'shop' }] }),
    );

    const run = await runBundledAction(
      'run-migration',
      { cluster, service, 'task-definition': 'migrations.json' },
      { env: { ...sandbox.env(), ...GITHUB }, cwd: workspace },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['task-definition-arn']).toMatch(/:task-definition\/shop-migrations:1$/);
    expect(run.summary).toContain(`\`node ${SAMPLE_SERVICE_DIR}/migrate.mjs up 2\``);
    const task = await describeTask(run.outputs['task-arn']);
    expect(task.taskDefinitionArn).toBe(run.outputs['task-definition-arn']);
    expect(task.attachments?.[0].details?.find((d) => d.name === 'subnetId')?.value).toBe('subnet-0a1b2c3d');
    expect(task.overrides?.containerOverrides ?? []).toEqual([]);
  });
});
