import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { putErrorRateAlarm } from '../support/alarms';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import type { FaultRule } from '@ecs-deploy/sandbox';
import { createService, ecsClient } from '../support/ecs-fixtures';
import { campaignSeed, faultMix } from '../support/fault-mix';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { clientConfig, startSandbox, type SandboxHandle } from '../support/sandbox-harness';
import { basicSampleContainer, SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';
import { sampleServiceBehindLoadBalancer } from '../support/sample-stack';

// Issue 14's fault campaign for the one-off jobs: run-migration and verify-health under 30 % throttling, 10 % 5xx,
// 2 s latency spikes and dropped connections (test/support/fault-mix.ts), one seed per scenario. Each scenario
// asserts what the same scenario gives without faults (run-migration-real, verify-health-load-balancer and
// verify-health-alarms assert those): the same outcome and the same cause. Never call sequences: the faults
// change those, and that is the point.

// One sandbox for the file: the migrations leave the sample database at 002_add_price, the schema the services
// behind the load balancer need.
let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.1, catalog: sampleServiceCatalog(), database: {} });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** The scenario run under the fault mix (with `first` rules ahead of it), faults cleared afterwards; its calls' faults counted. */
async function underFaults(scenario: string, run: () => Promise<ActionRun>, first: FaultRule[] = []) {
  const mix = faultMix(campaignSeed(scenario));
  const from = sandbox.calls.length;
  sandbox.setFaults({ ...mix, rules: [...first, ...(mix.rules ?? [])] });
  try {
    const result = await run();
    const calls = sandbox.calls.slice(from);
    return { run: result, calls, faulted: calls.filter((call) => call.faults?.length).length };
  } finally {
    sandbox.setFaults(undefined);
  }
}

describe('run-migration under the fault mix', () => {
  const service = 'shop';
  const MIGRATE = `node ${SAMPLE_SERVICE_DIR}/migrate.mjs`;
  let cluster: string;

  beforeAll(async () => {
    // Migrated up to 002_add_price: `up` then runs 003_unique_sku, which fails on purpose with exit code 3.
    ({ cluster } = await createService(sandbox, {
      service,
      image: `${SAMPLE_REPOSITORY}:v1`,
      desiredCount: 1,
      containers: [basicSampleContainer(service, sandbox.database.url, { logs: true })],
    }));
  });

  const migrate = (inputs: Record<string, string>) =>
    runBundledAction('run-migration', { cluster, service, ...inputs }, { env: sandbox.env() });

  async function describeTask(taskArn: string): Promise<Task> {
    return (await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))).tasks?.[0] as Task;
  }

  async function familyTasks(): Promise<string[]> {
    const ecs = ecsClient(sandbox);
    const listed = await Promise.all(
      (['RUNNING', 'STOPPED'] as const).map((desiredStatus) => ecs.send(new ListTasksCommand({ cluster, family: service, desiredStatus }))),
    );
    return listed.flatMap((answer) => answer.taskArns ?? []);
  }

  async function streamOf(taskArn: string): Promise<string[]> {
    const logs = new CloudWatchLogsClient(clientConfig(sandbox));
    const answer = await logs.send(
      new GetLogEventsCommand({
        logGroupName: `/ecs/${service}`,
        logStreamName: `ecs/${service}/${taskArn.split('/').pop()}`,
        startFromHead: true,
      }),
    );
    return (answer.events ?? []).map((event) => event.message ?? '');
  }

  const printed = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('| ')).map((line) => line.text.slice(2));

  test('a failing migration: exit code 3, named with its last log lines', async () => {
    const { run, faulted } = await underFaults('run-migration failure', () => migrate({ command: `${MIGRATE} up` }));

    expect(faulted).toBeGreaterThan(0);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('3');
    const [message] = errorsOf(run);
    expect(message).toContain('exited with code 3');
    expect(message).toContain('Error: could not create unique index "items_sku_key"');
    expect(message).toContain('Detail: Key (sku)=(MUG-001) is duplicated.');
    expect(run.summary).toMatch(/\| Exit code \| 3 \|/);
    expect(printed(run)).toEqual(await streamOf(run.outputs['task-arn']));
  });

  test('a migration that succeeds: exit code 0, its log streamed into the step log with no line lost or doubled', async () => {
    const { run, calls } = await underFaults('run-migration success', () =>
      migrate({ command: `${MIGRATE} down 1`, environment: 'MIGRATION_DELAY_MS=1000' }),
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.log).toContain('| migrated down: 002_add_price');
    // The follow loop's own reads were hit, not only the pre-flight's.
    expect(calls.filter((call) => /GetLogEvents|DescribeTasks/.test(call.operation) && call.faults?.length).length).toBeGreaterThan(0);
    expect(printed(run)).toEqual(await streamOf(run.outputs['task-arn']));
    expect((await describeTask(run.outputs['task-arn'])).containers?.[0].exitCode).toBe(0);
  });

  test("a RunTask whose connection drops after it took effect starts one migration task, not two (RunTask's clientToken)", async () => {
    const before = await familyTasks();
    const { run } = await underFaults('run-migration runtask dropped after', () => migrate({ command: `${MIGRATE} up 1` }), [
      { service: 'ecs', operation: 'RunTask', count: 1, effect: { kind: 'drop', when: 'after' } },
    ]);

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('| migrated up: 002_add_price');
    const started = (await familyTasks()).filter((arn) => !before.includes(arn));
    expect(started).toEqual([run.outputs['task-arn']]);
  });

  test('a migration past its timeout is stopped although StopTask is throttled and then dropped after it took effect', async () => {
    const { run } = await underFaults(
      'run-migration timeout stop',
      () => migrate({ command: `${MIGRATE} up`, environment: 'MIGRATION_DELAY_MS=60000', timeout: '3s' }),
      [
        { service: 'ecs', operation: 'StopTask', count: 1, effect: { kind: 'error', code: 'ThrottlingException' } },
        { service: 'ecs', operation: 'StopTask', after: 1, count: 1, effect: { kind: 'drop', when: 'after' } },
      ],
    );

    expect(run.exitCode).toBe(1);
    const [message] = errorsOf(run);
    expect(message).toContain('did not finish within the timeout of 3s, so it was stopped (StopTask)');
    expect(message).toContain('working for 60000 ms...');
    const task = await describeTask(run.outputs['task-arn']);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.stopCode).toBe('UserInitiated');
    expect(task.stoppedReason).toContain('timeout');
  });
});

describe('verify-health under the fault mix', () => {
  let cloudwatch: CloudWatchClient;

  const putAlarm = (name: string, state: 'OK' | 'ALARM', reason: string) => putErrorRateAlarm(cloudwatch, name, { state, reason });

  beforeAll(() => {
    cloudwatch = new CloudWatchClient(clientConfig(sandbox));
  });

  const serviceBehindLoadBalancer = (name: string, desiredCount?: number) =>
    sampleServiceBehindLoadBalancer(sandbox, sandbox.database.url, name, {
      desiredCount,
      deregistrationDelaySeconds: 1,
      healthCheckGracePeriodSeconds: 30,
    });

  test('a healthy service: healthy, with the service steady, every target healthy and the alarm OK', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('catalog', 1);
    await putAlarm('catalog-5xx', 'OK', 'quiet');
    const { run, faulted } = await underFaults('verify-health good', () =>
      runBundledAction(
        'verify-health',
        {
          url: `${url}/health`,
          'body-contains': '"version":"v1"',
          interval: '0.2s',
          timeout: '60s',
          cluster,
          service,
          alarms: 'catalog-5xx',
        },
        { env: sandbox.env() },
      ),
    );

    expect(faulted).toBeGreaterThan(0);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.summary).toMatch(/\| service catalog \| ok \| steady: 1 of 1 tasks running, one deployment, COMPLETED \|/);
    expect(run.summary).toMatch(/\| target group catalog-tg \| ok \| 1 of 1 targets healthy \|/);
    expect(run.summary).toContain('| alarm catalog-5xx | ok | OK |');
  });

  test('a release answering 500 behind the load balancer: unhealthy, its service and targets named', async () => {
    const { cluster, service, url } = await serviceBehindLoadBalancer('checkout');
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${SAMPLE_REPOSITORY}:v2`, environment: 'FAIL_MODE=500', wait: 'false' },
      { env: sandbox.env() },
    );
    expect(deploy.outputs.status).toBe('registered');

    const { run } = await underFaults('verify-health bad', () =>
      runBundledAction(
        'verify-health',
        { url: `${url}/health`, interval: '0.2s', timeout: '60s', warmup: '3s', 'failure-threshold': '5', cluster, service },
        { env: sandbox.env() },
      ),
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.log).toMatch(
      /target group checkout-tg: \d of \d targets not healthy: [\d.]+:\d+ unhealthy \(Target\.ResponseCodeMismatch: [^)]*500/,
    );
    // The load balancer's failed health checks make ECS stop a task of the release, which fails the check at once;
    // on a slower machine five failing rounds may come first. Either way the service is named: by its two deployments,
    // or, when the fault mix throttled the service's read that round, by the crashed task of the release.
    expect(errorsOf(run)[0]).toMatch(
      /^Unhealthy [\d.]+m?s in, (after 5 failing rounds in a row|because a task crashed): (service checkout: 2 deployments at once|tasks of service checkout: task [0-9a-f]+ crashed: it failed its health checks \(Task failed ELB health checks)/,
    );
    expect(run.outputs.failures).toBe('0');
  });

  test('an alarm in ALARM: unhealthy at once, naming the alarm', async () => {
    const { url } = await serviceBehindLoadBalancer('basket', 1);
    await putAlarm('basket-5xx', 'ALARM', 'Threshold Crossed: 12 errors in 1 minute');
    const { run } = await underFaults('verify-health alarm', () =>
      runBundledAction(
        'verify-health',
        { url: `${url}/health`, interval: '0.2s', timeout: '60s', alarms: 'basket-5xx' },
        { env: sandbox.env() },
      ),
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /^Unhealthy [\d.]+m?s in, because alarm basket-5xx is in ALARM: alarm basket-5xx: in ALARM: Threshold Crossed: 12 errors in 1 minute\.$/,
      ),
    ]);
  });
});
