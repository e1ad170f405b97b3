import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type Task,
} from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { putSecret, resolveValueFrom, type SecretStores } from '../src/runtime/secrets';
import { ParameterStore } from '../src/ssm/state';
import { SecretsManagerStore } from '../src/secretsmanager/state';
import { REPOSITORY_ROOT, SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../../../test/support/sample-service';
import { startDatabase, type Database } from '../../../test/fixtures/sample-service/database.mjs';
import { container, ecsClient, logsClient, network, register, waitFor, waitForService } from './support/harness';

/** An execution role that may read every secret: ECS fetches a task's secrets with it (the default role may not). */
const SECRETS_READER = {
  RoleName: 'secrets-reader',
  Policies: [
    {
      PolicyName: 'read-secrets',
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameters', 'secretsmanager:GetSecretValue'], Resource: '*' }] },
    },
  ],
};
const READER_ARN = 'arn:aws:iam::000000000000:role/secrets-reader';

const CLUSTER = 'sample';
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
/** Images of small inline programs, next to the sample service. */
const catalog = {
  ...sampleServiceCatalog(),
  [`${REGISTRY}/script`]: { entryPoint: ['node', '-e'], command: ['console.log("no script given")'], cwd: REPOSITORY_ROOT },
  [`${REGISTRY}/missing-binary`]: { command: ['no-such-binary-in-path', '--serve'] },
};
let sandbox: Sandbox;
let database: Database;

beforeAll(async () => {
  [database, sandbox] = await Promise.all([startDatabase(), start({ timeScale: 0.1, catalog, seed: { roles: [SECRETS_READER] } })]);
  await ecsClient(sandbox).send(new CreateClusterCommand({ clusterName: CLUSTER }));
}, 30_000);
afterAll(async () => {
  await sandbox?.stop();
  await database?.stop();
});

const sample = (name: string, tag: string, extra: Partial<ContainerDefinition> = {}) =>
  container(name, `${SAMPLE_REPOSITORY}:${tag}`, { environment: [{ name: 'DATABASE_URL', value: database.url }], ...extra });

async function describeTask(arn: string): Promise<Task> {
  return (await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] }))).tasks?.[0] as Task;
}

const waitForTask = (arn: string, done: (task: Task) => boolean, timeoutMs = 20_000) =>
  waitFor(
    `task ${arn}`,
    async () => {
      const task = await describeTask(arn);
      return done(task) ? task : undefined;
    },
    timeoutMs,
  );

async function runTask(taskDefinition: string, command?: string[], name?: string): Promise<string> {
  const overrides = command ? { containerOverrides: [{ name, command }] } : undefined;
  const run = await ecsClient(sandbox).send(
    new RunTaskCommand({ cluster: CLUSTER, taskDefinition, launchType: 'FARGATE', networkConfiguration: network, overrides }),
  );
  expect(run.failures).toEqual([]);
  return run.tasks?.[0].taskArn as string;
}

async function logLines(name: string, taskArn: string): Promise<string[]> {
  const id = taskArn.split('/').pop();
  const answer = await logsClient(sandbox).send(
    new GetLogEventsCommand({ logGroupName: `/ecs/${name}`, logStreamName: `ecs/${name}/${id}`, startFromHead: true }),
  );
  return answer.events?.map((e) => e.message as string) ?? [];
}

function hostPort(task: Task): number {
  const binding = task.containers?.[0].networkBindings?.[0];
  expect(binding).toMatchObject({ bindIP: '127.0.0.1', containerPort: 8080, protocol: 'tcp' });
  return binding?.hostPort as number;
}

/** The sample service's processes: children of this process running one of its programs. */
function samplePids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(SAMPLE_SERVICE_DIR))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tasks as real processes', () => {
  test('a service reaches a steady state; its processes answer on their network bindings with the image tag; a crashing release rolls back', async () => {
    const ecs = ecsClient(sandbox);
    const good = await register(ecs, 'web', [sample('web', 'v1')]);
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition: good,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: network,
        deploymentConfiguration: {
          minimumHealthyPercent: 100,
          maximumPercent: 200,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    await waitForService(
      sandbox,
      CLUSTER,
      'web',
      (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 2,
    );
    const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }))).taskArns ?? [];
    expect(arns).toHaveLength(2);
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
    const ports = tasks.map(hostPort);
    expect(new Set(ports).size).toBe(2);
    for (const port of ports) {
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ service: 'sample-service', version: 'v1' });
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    }
    expect(await logLines('web', arns[0])).toContain(`sample-service v1 listening on ${ports[0]}`);

    // A release that forgot DATABASE_URL: every task exits 1 at start-up, before its container health check
    // could pass, so each is a failed task and the circuit breaker rolls back. (Without a health check, a task
    // that reached RUNNING ran successfully and its crash would not count: circuit-breaker.test.ts.)
    const healthCheck = { command: ['CMD-SHELL', 'exit 0'], interval: 30, timeout: 5, retries: 3 };
    const bad = await register(ecs, 'web', [container('web', `${SAMPLE_REPOSITORY}:v2`, { healthCheck })]);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: bad }));
    const rolledBack = await waitForService(
      sandbox,
      CLUSTER,
      'web',
      (s) =>
        s.deployments?.length === 1 &&
        s.deployments[0].taskDefinition === good &&
        s.deployments[0].rolloutState === 'COMPLETED' &&
        s.taskDefinition === good,
      30_000,
    );
    expect(rolledBack.events?.some((e) => /circuit breaker: task failed to start|rolling back/i.test(e.message ?? ''))).toBe(true);
    const stopped =
      (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    const crashed = ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: stopped }))).tasks ?? []).filter(
      (t) => t.taskDefinitionArn === bad,
    );
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed[0]).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(crashed[0].containers?.[0].exitCode).toBe(1);
    expect(await logLines('web', crashed[0].taskArn as string)).toEqual(['Error: required environment variable DATABASE_URL is not set']);
    // Steady again on the good release, whose processes answer.
    const after = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }))).taskArns ?? [];
    const serving = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: after }))).tasks ?? [];
    expect(serving.filter((t) => t.lastStatus === 'RUNNING' && t.taskDefinitionArn === good)).toHaveLength(2);
    for (const task of serving.filter((t) => t.lastStatus === 'RUNNING')) {
      expect(await (await fetch(`http://127.0.0.1:${hostPort(task)}/`)).json()).toMatchObject({ version: 'v1' });
    }
  }, 45_000);

  test('RunTask runs the migrations with a command override: up 2 exits 0, up exits 3 with PostgreSQL’s error', async () => {
    const migrate = await register(ecsClient(sandbox), 'migrate', [sample('migrate', 'v1')]);
    const first = await runTask(migrate, ['node', `${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', '2'], 'migrate');
    const done = await waitForTask(first, (t) => t.lastStatus === 'STOPPED');
    expect(done.containers?.[0]).toMatchObject({ exitCode: 0 });
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(await logLines('migrate', first)).toContain('migrated up: 001_create_items, 002_add_price');

    const second = await runTask(migrate, ['node', `${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up'], 'migrate');
    const failed = await waitForTask(second, (t) => t.lastStatus === 'STOPPED');
    expect(failed.containers?.[0]).toMatchObject({ exitCode: 3 });
    const lines = await logLines('migrate', second);
    expect(lines).toContain('Error: could not create unique index "items_sku_key"');
    expect(lines.at(-1)).toMatch(/^Detail: Key \(sku\)=\(.+\) is duplicated\.$/);
  });

  test('a secret from the store reaches the process; StopTask sends SIGTERM and the service drains and exits 0', async () => {
    sandbox.putSecret('arn:aws:secretsmanager:us-east-1:000000000000:secret:sample/database-AbCdEf', JSON.stringify({ url: database.url }));
    const definition = await register(
      ecsClient(sandbox),
      'secret',
      [
        container('secret', `${SAMPLE_REPOSITORY}@sha256:${'ab'.repeat(32)}`, {
          secrets: [
            { name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:sample/database-AbCdEf:url::' },
          ],
        }),
      ],
      READER_ARN,
    );
    const arn = await runTask(definition);
    const running = await waitForTask(arn, (t) => t.lastStatus === 'RUNNING');
    const port = hostPort(running);
    // /health runs SELECT 1, so it answers 200 only with the secret's URL; the digest is the version.
    const health = await waitFor('health', async () => {
      const answer = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return answer?.status === 200 ? answer.json() : undefined;
    });
    expect(health).toEqual({ status: 'ok', version: `sha256:${'ab'.repeat(32)}` });

    await ecsClient(sandbox).send(new StopTaskCommand({ cluster: CLUSTER, task: arn, reason: 'done' }));
    const stopped = await waitForTask(arn, (t) => t.lastStatus === 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'done' });
    expect(stopped.containers?.[0].exitCode).toBe(0);
    const lines = await logLines('secret', arn);
    expect(lines).toContain('SIGTERM: no new connections; finishing requests in flight');
    expect(lines.at(-1)).toBe('stopped');
  });

  test('a missing secret fails the task with ResourceInitializationError; an uncatalogued image with CannotPullContainerError', async () => {
    const ecs = ecsClient(sandbox);
    const missing = await register(
      ecs,
      'nosecret',
      [sample('nosecret', 'v1', { secrets: [{ name: 'API_KEY', valueFrom: '/sample/api-key' }] })],
      READER_ARN,
    );
    const stopped = await waitForTask(await runTask(missing), (t) => t.lastStatus === 'STOPPED');
    expect(stopped.stopCode).toBe('TaskFailedToStart');
    expect(stopped.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*invalid parameters: \/sample\/api-key$/,
    );

    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/unknown:v1';
    const unknown = await register(ecs, 'unknown', [container('unknown', image)]);
    const failed = await waitForTask(await runTask(unknown), (t) => t.lastStatus === 'STOPPED');
    expect(failed).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`,
    });
  });

  test('a container health check makes a task HEALTHY; a failing one gets a service task stopped', async () => {
    const ecs = ecsClient(sandbox);
    const healthCheck = {
      command: ['CMD-SHELL', `node ${SAMPLE_SERVICE_DIR}/healthcheck.mjs`],
      interval: 5,
      timeout: 5,
      retries: 2,
      startPeriod: 0,
    };
    const checked = await register(ecs, 'checked', [sample('checked', 'v1', { healthCheck })]);
    const arn = await runTask(checked);
    const healthy = await waitForTask(arn, (t) => t.healthStatus === 'HEALTHY');
    expect(healthy.containers?.[0].healthStatus).toBe('HEALTHY');

    // /health answers 503 until a migration that never runs is applied.
    const sick = await register(ecs, 'sick', [
      sample('sick', 'v1', {
        healthCheck,
        environment: [
          { name: 'DATABASE_URL', value: database.url },
          { name: 'REQUIRED_MIGRATION', value: '999_never' },
        ],
      }),
    ]);
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'sick',
        taskDefinition: sick,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    const stopped = await waitFor('an unhealthy task stopped', async () => {
      const arns =
        (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'sick', desiredStatus: 'STOPPED' }))).taskArns ?? [];
      return arns[0];
    }).then((arn) => waitForTask(arn, (t) => t.lastStatus === 'STOPPED'));
    expect(stopped).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      healthStatus: 'UNHEALTHY',
    });
    // Stopped with SIGTERM, the service drained and exited 0.
    expect(stopped.containers?.[0].exitCode).toBe(0);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'sick', desiredCount: 0 }));
  });

  test('output lines reach the log up to the last one, even without a newline, and the exit code is kept', async () => {
    const definition = await register(ecsClient(sandbox), 'script', [container('script', `${REGISTRY}/script:1`)]);
    const program =
      'process.stdout.write("one\\ntwo\\n"); console.error("to stderr"); process.stdout.write("last, no newline"); process.exitCode = 4;';
    const arn = await runTask(definition, [program], 'script');
    const stopped = await waitForTask(arn, (t) => t.lastStatus === 'STOPPED');
    expect(stopped.containers?.[0].exitCode).toBe(4);
    expect((await logLines('script', arn)).sort()).toEqual(['last, no newline', 'one', 'to stderr', 'two']);
  });

  test("a process without a SIGTERM handler is ended by StopTask's SIGTERM, exit code 143", async () => {
    const definition = await register(ecsClient(sandbox), 'plain', [container('plain', `${REGISTRY}/script:1`)]);
    const arn = await runTask(definition, ['setInterval(() => {}, 1000); console.log("up");'], 'plain');
    await waitForTask(arn, (t) => t.lastStatus === 'RUNNING');
    await waitFor('the program to run', async () =>
      (await logLines('plain', arn).catch((): string[] => [])).includes('up') ? true : undefined,
    );
    await ecsClient(sandbox).send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    const stopped = await waitForTask(arn, (t) => t.lastStatus === 'STOPPED');
    expect(stopped.containers?.[0].exitCode).toBe(143);
  });

  test('a process that ignores SIGTERM is killed after its stopTimeout, exit code 137', async () => {
    const definition = await register(ecsClient(sandbox), 'stubborn', [container('stubborn', `${REGISTRY}/script:1`, { stopTimeout: 5 })]);
    const program = 'process.on("SIGTERM", () => console.log("ignoring SIGTERM")); setInterval(() => {}, 1000); console.log("up");';
    const arn = await runTask(definition, [program], 'stubborn');
    await waitForTask(arn, (t) => t.lastStatus === 'RUNNING');
    await waitFor('the program to run', async () =>
      (await logLines('stubborn', arn).catch((): string[] => [])).includes('up') ? true : undefined,
    );
    const asked = Date.now();
    await ecsClient(sandbox).send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    const stopped = await waitForTask(arn, (t) => t.lastStatus === 'STOPPED');
    expect(Date.now() - asked).toBeGreaterThanOrEqual(450);
    expect(stopped.containers?.[0].exitCode).toBe(137);
    expect(await logLines('stubborn', arn)).toEqual(['up', 'ignoring SIGTERM']);
  });

  test('an executable that does not exist fails the task to start; scripted images keep their script', async () => {
    const ecs = ecsClient(sandbox);
    const missing = await register(ecs, 'missing', [container('missing', `${REGISTRY}/missing-binary:1`)]);
    const failed = await waitForTask(await runTask(missing), (t) => t.lastStatus === 'STOPPED');
    expect(failed.stopCode).toBe('TaskFailedToStart');
    expect(failed.stoppedReason).toMatch(
      /^CannotStartContainerError: .*exec: "no-such-binary-in-path": executable file not found in \$PATH/,
    );

    sandbox.script('legacy:1', { kind: 'exit', exitCode: 2, afterMs: 100, logs: ['scripted'] });
    const legacy = await register(ecs, 'legacy', [container('legacy', 'legacy:1')]);
    const arn = await runTask(legacy);
    const stopped = await waitForTask(arn, (t) => t.lastStatus === 'STOPPED');
    expect(stopped.containers?.[0].exitCode).toBe(2);
    expect(await logLines('legacy', arn)).toContain('scripted');
  });

  test('no process survives sandbox.stop()', async () => {
    const pids = samplePids();
    // The two tasks of `web`, the healthy checked task, and perhaps a task of `sick`.
    expect(pids.length).toBeGreaterThanOrEqual(3);
    await sandbox.stop();
    expect(pids.filter(alive)).toEqual([]);
    expect(samplePids()).toEqual([]);
  });
});

describe('the secret store', () => {
  test('resolves Secrets Manager ARNs (complete, partial, JSON key, version stage) and SSM parameters (name, ARN) as ECS does', () => {
    const stores: SecretStores = {
      ssm: new ParameterStore('us-east-1', '000000000000'),
      secretsManager: new SecretsManagerStore('us-east-1', '000000000000'),
    };
    const store = { put: (nameOrArn: string, value: string) => putSecret(stores, nameOrArn, value, 0) };
    const resolve = (valueFrom: string) => resolveValueFrom(stores, valueFrom);
    store.put('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-Ab12Cd', '{"password":"hunter2","port":5432}');
    store.put('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-Ab12Cd', '{"password":"rotated","port":5432}');
    store.put('arn:aws:ssm:us-east-1:000000000000:parameter/prod/api-key', 'key-1');
    store.put('plain', 'both');
    expect(resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db')).toBe('{"password":"rotated","port":5432}');
    expect(resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-Ab12Cd:password::')).toBe('rotated');
    expect(resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-Ab12Cd:password:AWSPREVIOUS:')).toBe('hunter2');
    expect(resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db:port::')).toBe('5432');
    expect(resolve('/prod/api-key')).toBe('key-1');
    expect(resolve('arn:aws:ssm:us-east-1:000000000000:parameter/prod/api-key')).toBe('key-1');
    expect(resolve('plain')).toBe('both');
    expect(resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:plain')).toBe('both');
    expect(() => resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db:user::')).toThrow(
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key user',
    );
    expect(() => resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-Zz99Zz')).toThrow(/ResourceNotFoundException/);
    expect(() => resolve('arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db::AWSPENDING:')).toThrow(
      /failed to fetch secret arn:aws:secretsmanager:us-east-1:000000000000:secret:prod\/db from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING$/,
    );
    expect(() => resolve('arn:aws:secretsmanager:us-west-2:000000000000:secret:prod/db')).toThrow(/ResourceNotFoundException/);
    expect(() => resolve('prod/api-key')).toThrow(/unable to retrieve secrets from ssm: .*invalid parameters: prod\/api-key$/);
  });
});
