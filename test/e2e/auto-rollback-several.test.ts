import { beforeAll, describe, expect, test } from '@jest/globals';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { callsBeforeFirstChange } from '../support/calls-before-change';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { createService, describe as describeService, ecsClient, REGISTRY, registerLike, waitForSteady } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// auto-rollback with several 'service' lines, through the bundled action against the sandbox.
const sandbox = useSandbox({ timeScale: 0.05 });

/** The service's next revision (its image at `tag`), deployed and settled: one more SUCCESSFUL service deployment in its history. */
async function release(cluster: string, service: string, tag: string): Promise<string> {
  const current = await describeService(sandbox, cluster, service);
  const arn = await registerLike(sandbox, current.taskDefinition as string, `${REGISTRY}/${service}:${tag}`);
  await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster, service, taskDefinition: arn }));
  await waitForSteady(sandbox, cluster, service);
  return arn;
}

/** Three services on v1, each released to v2: their histories say v1 completed a deployment before v2. */
async function threeReleased(prefix: string) {
  return released(['web', 'worker', 'scheduler'].map((name) => `${prefix}-${name}`));
}

/** The services on v1, each released to v2. */
async function released(names: string[]) {
  const created = await Promise.all(names.map((service) => createService(sandbox, { service, image: `${REGISTRY}/${service}:v1` })));
  const released = await Promise.all(names.map((service) => release('prod', service, 'v2')));
  return { cluster: 'prod', names, v1: created.map((one) => one.taskDefinitionArn), v2: released };
}

/** A deploy-ecs `services` output entry, as deploy-ecs writes it. */
function deployedEntry(service: string, fields: { status: string; arn: string; previous: string }) {
  return {
    cluster: 'prod',
    service,
    status: fields.status,
    'task-definition-arn': fields.arn,
    'previous-task-definition-arn': fields.previous,
    'deployment-id': 'ecs-svc/1234567890123456789',
    'service-deployment-arn': '',
    'duration-seconds': 12,
    reason: '',
  };
}

const servicesOutput = (run: { outputs: Record<string, string> }) =>
  JSON.parse(run.outputs.services ?? 'null') as Array<Record<string, unknown>>;

describe('three services rolled back from their histories', () => {
  let shop: Awaited<ReturnType<typeof threeReleased>>;
  let run: ActionRun;
  let before: number;
  beforeAll(async () => {
    shop = await threeReleased('shop');
    before = sandbox.calls.length;
    run = await runBundledAction(
      'auto-rollback',
      { cluster: shop.cluster, service: shop.names.join('\n'), reason: 'verify-health failed' },
      { env: sandbox.env() },
    );
  });

  test('each service is back on its own last completed revision', async () => {
    expect(run.exitCode).toBe(0);
    expect(servicesOutput(run)).toEqual(
      shop.names.map((service, index) => ({
        cluster: shop.cluster,
        service,
        'rolled-back': true,
        'task-definition-arn': shop.v1[index],
        'duration-seconds': expect.any(Number),
        reason: expect.stringContaining(`Rolled back ${service}`),
      })),
    );
    for (const [index, service] of shop.names.entries()) {
      expect((await describeService(sandbox, shop.cluster, service)).taskDefinition).toBe(shop.v1[index]);
    }
  });

  test('the scalar outputs are not set, and the summary has one row per service', () => {
    expect(Object.keys(run.outputs)).toEqual(['services']);
    for (const service of shop.names) {
      expect(run.summary).toMatch(new RegExp(`\\| ↩️ \\| ${service} \\| ${service}:2 \\| ${service}:1 \\| true \\|`));
    }
  });

  test('the watch reads the three together: one DescribeServices call a round, not one a service', () => {
    const [, reads, calls] = /The watch's (\d+) reads of 3 services took (\d+) DescribeServices calls\./.exec(run.log) ?? [];
    // A round asks for every service still watched; one whose rollback ended drops out of the next rounds.
    expect(Number(calls)).toBeLessThan(Number(reads));
    expect(Number(calls)).toBeGreaterThanOrEqual(Math.ceil(Number(reads) / 3));
    const described = sandbox.calls.slice(before).filter((call) => call.operation === 'DescribeServices').length;
    expect(described).toBeGreaterThanOrEqual(Number(calls));
  });
});

test("each target comes from deploy-ecs's services output: its previous-task-definition-arn, else the service's history", async () => {
  const { cluster, names, v1, v2 } = await threeReleased('mail');
  const [web, worker, scheduler] = names as [string, string, string];
  // A third release of each: the history now says v2; the deploy's output says v1 for web and nothing for worker.
  const v3 = await Promise.all(names.map((service) => release(cluster, service, 'v3')));
  const services = JSON.stringify([
    deployedEntry(web, { status: 'failed', arn: v3[0] as string, previous: v1[0] as string }),
    deployedEntry(worker, { status: 'succeeded', arn: v3[1] as string, previous: '' }),
    deployedEntry(scheduler, { status: 'succeeded', arn: v3[2] as string, previous: v2[2] as string }),
  ]);

  const run = await runBundledAction('auto-rollback', { cluster, service: names.join('\n'), services }, { env: sandbox.env() });

  expect(run.exitCode).toBe(0);
  expect(servicesOutput(run).map((one) => one['task-definition-arn'])).toEqual([v1[0], v2[1], v2[2]]);
  expect((await describeService(sandbox, cluster, web)).taskDefinition).toBe(v1[0]);
  expect((await describeService(sandbox, cluster, worker)).taskDefinition).toBe(v2[1]);
  expect(run.summary).toContain("chosen by the 'services' input (deploy-ecs's previous-task-definition-arn)");
});

test('a service whose entry is rolled-back and that already runs its target needs nothing; the others are rolled back', async () => {
  const { cluster, names, v1, v2 } = await threeReleased('pay');
  const [web, worker, scheduler] = names as [string, string, string];
  // ECS's circuit breaker brought scheduler back to v1 on its own: it runs its target already.
  await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster, service: scheduler, taskDefinition: v1[2] }));
  await waitForSteady(sandbox, cluster, scheduler);
  const services = JSON.stringify([
    deployedEntry(web, { status: 'failed', arn: v2[0] as string, previous: v1[0] as string }),
    deployedEntry(worker, { status: 'failed', arn: v2[1] as string, previous: v1[1] as string }),
    deployedEntry(scheduler, { status: 'rolled-back', arn: v2[2] as string, previous: v1[2] as string }),
  ]);
  const before = sandbox.calls.length;

  const run = await runBundledAction('auto-rollback', { cluster, service: names.join('\n'), services }, { env: sandbox.env() });

  expect(run.exitCode).toBe(0);
  expect(servicesOutput(run).map((one) => [one.service, one['rolled-back']])).toEqual([
    [web, true],
    [worker, true],
    [scheduler, false],
  ]);
  expect(servicesOutput(run)[2]?.reason).toBe(`Nothing to roll back: ${scheduler} already runs ${scheduler}:1.`);
  const updated = sandbox.calls
    .slice(before)
    .filter((call) => call.operation === 'UpdateService' || call.operation === 'StopServiceDeployment');
  expect(updated).toHaveLength(2);
});

test('the step fails when one rollback fails, naming that service and why; the others are rolled back all the same', async () => {
  const { cluster, names, v1 } = await threeReleased('ads');
  const [web, worker, scheduler] = names as [string, string, string];
  // worker's v1 image was re-pushed broken: its rollback's tasks exit at start-up.
  sandbox.script(`${REGISTRY}/${worker}:v1`, { kind: 'exit', exitCode: 3, afterMs: 100, logs: ['fatal: queue URL missing'] });

  const run = await runBundledAction('auto-rollback', { cluster, service: names.join('\n') }, { env: sandbox.env() });

  expect(run.exitCode).toBe(1);
  const errors = errorsOf(run);
  expect(errors.at(-1)).toMatch(
    new RegExp(
      `^Rollback failed for 1 of 3 services: ${worker}: Rollback of ${worker} \\(${worker}:2 → ${worker}:1\\) FAILED: .*exited with code 3`,
    ),
  );
  expect(servicesOutput(run).map((one) => [one.service, one['rolled-back']])).toEqual([
    [web, true],
    [worker, false],
    [scheduler, true],
  ]);
  expect(run.summary).toMatch(new RegExp(`\\| ❌ \\| ${worker} \\|`));
  expect((await describeService(sandbox, cluster, web)).taskDefinition).toBe(v1[0]);
  expect((await describeService(sandbox, cluster, scheduler)).taskDefinition).toBe(v1[2]);
});

describe('each service is described once before the first change', () => {
  test('one service: one DescribeServices call', async () => {
    const { cluster, names } = await released(['solo-web']);
    const before = sandbox.calls.length;

    const run = await runBundledAction('auto-rollback', { cluster, service: names.join('\n') }, { env: sandbox.env() });

    expect(run.exitCode).toBe(0);
    expect(callsBeforeFirstChange(sandbox.calls.slice(before))).toBe(1);
  });

  test('12 services: two DescribeServices calls of at most 10, not one more per service for its pre-flight', async () => {
    const { cluster, names } = await released(Array.from({ length: 12 }, (_, i) => `dozen-${String(i + 1).padStart(2, '0')}`));
    const before = sandbox.calls.length;

    const run = await runBundledAction('auto-rollback', { cluster, service: names.join('\n') }, { env: sandbox.env() });

    expect(run.exitCode).toBe(0);
    expect(servicesOutput(run).every((one) => one['rolled-back'] === true)).toBe(true);
    expect(callsBeforeFirstChange(sandbox.calls.slice(before))).toBe(2);
  });
});
