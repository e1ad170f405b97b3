import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { CreateServiceCommand, DescribeServicesCommand, ListTaskDefinitionsCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { ECS_RATE_LIMITS, type ApiCall } from '@ecs-deploy/sandbox';
import type { ServiceResult } from '@ecs-deploy/core/use-cases';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY, waitForSteady } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';
import { describeCallsPerRound } from '../support/poll-rounds';
import { callsBeforeFirstChange } from '../support/calls-before-change';

// Several services that share an image (web, worker, scheduler from one build) deployed by one deploy-ecs step:
// each from its own live revision, at once, watched in one loop; `services` says how each ended.

const sandbox = useSandbox({ timeScale: 0.05 });
const ecs = () => ecsClient(sandbox);
const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', { cluster: 'prod', ...inputs }, { env: sandbox.env() });

const servicesOf = (run: ActionRun): ServiceResult[] => JSON.parse(run.outputs.services) as ServiceResult[];
const liveRevision = async (service: string) =>
  (await ecs().send(new DescribeServicesCommand({ cluster: 'prod', services: [service] }))).services?.[0].taskDefinition;

/** Creates the services (one family each, the image v1) and waits until all are steady. */
async function createServices(names: string[], image: string, containers?: (service: string) => ContainerDefinition[]) {
  sandbox.script(image, { kind: 'healthy', startMs: 500 });
  const created = await Promise.all(
    names.map((service) =>
      createService(sandbox, { service, image, desiredCount: 1, waitForSteady: false, containers: containers?.(service) }),
    ),
  );
  await Promise.all(names.map((service) => waitForSteady(sandbox, 'prod', service)));
  return Object.fromEntries(created.map((c) => [c.service, c.taskDefinitionArn]));
}

group('deploy-ecs deploys several services in one step', () => {
  test('three services from one image: each runs it, `services` holds each, the scalar outputs stay empty', async () => {
    const names = ['shop-web', 'shop-worker', 'shop-scheduler'];
    const before = await createServices(names, `${REGISTRY}/shop:v1`);
    sandbox.script(`${REGISTRY}/shop:v2`, { kind: 'healthy', startMs: 500 });

    const run = await deploy({ service: names.join('\n'), image: `${REGISTRY}/shop:v2` });

    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['task-definition-arn']).toBeUndefined();
    const services = servicesOf(run);
    expect(services.map((s) => s.service)).toEqual(names);
    for (const entry of services) {
      expect(Object.keys(entry).sort()).toEqual(
        [
          'cluster',
          'service',
          'status',
          'task-definition-arn',
          'previous-task-definition-arn',
          'deployment-id',
          'service-deployment-arn',
          'duration-seconds',
          'reason',
        ].sort(),
      );
      expect(entry).toMatchObject({
        cluster: 'prod',
        status: 'succeeded',
        reason: '',
        'previous-task-definition-arn': before[entry.service],
      });
      expect(entry['task-definition-arn']).toMatch(new RegExp(`:task-definition/${entry.service}:2$`));
      expect(await liveRevision(entry.service)).toBe(entry['task-definition-arn']);
      expect(entry['deployment-id']).toMatch(/^ecs-svc\//);
      expect(typeof entry['duration-seconds']).toBe('number');
    }
    for (const name of names) expect(run.summary).toMatch(new RegExp(`\\| ✅ ${name} \\| succeeded \\| ${name}:1 → ${name}:2 \\|`));
  });

  test('one of three crash-loops: the step fails naming it, the others succeed, status is the worst', async () => {
    const names = ['cart-web', 'cart-worker', 'cart-scheduler'];
    // Each service's app container is `app`; the worker's tasks carry a metrics sidecar of their own, which from this
    // release on exits at start.
    sandbox.script(`${REGISTRY}/statsd:v1`, { kind: 'healthy', startMs: 200 });
    const app: ContainerDefinition = { name: 'app', image: `${REGISTRY}/cart:v1`, essential: true };
    await createServices(names, `${REGISTRY}/cart:v1`, (service) =>
      service === 'cart-worker' ? [{ name: 'statsd', image: `${REGISTRY}/statsd:v1`, essential: true }, app] : [app],
    );
    sandbox.script(`${REGISTRY}/cart:v2`, { kind: 'healthy', startMs: 500 });
    sandbox.script(`${REGISTRY}/statsd:v1`, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['statsd: cannot bind :8125'] });

    const run = await deploy({ service: names.join('\n'), image: `${REGISTRY}/cart:v2`, container: 'app' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const services = servicesOf(run);
    expect(services.map((s) => [s.service, s.status])).toEqual([
      ['cart-web', 'succeeded'],
      ['cart-worker', 'failed'],
      ['cart-scheduler', 'succeeded'],
    ]);
    expect(services[1].reason).not.toBe('');
    const [error] = errorsOf(run);
    expect(error).toMatch(/^1 of 3 services did not succeed:\ncart-worker \(failed\): /);
    expect(error).not.toContain('cart-web');
    expect(run.summary).toMatch(/\| ❌ cart-worker \| failed \|/);
  });

  test('two services of one family and identical content: the revision is registered once, both run it', async () => {
    const { taskDefinitionArn } = await createService(sandbox, { service: 'api-blue', image: `${REGISTRY}/api:v1`, desiredCount: 1 });
    await ecs().send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'api-green',
        taskDefinition: taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      }),
    );
    await waitForSteady(sandbox, 'prod', 'api-green');
    sandbox.script(`${REGISTRY}/api:v2`, { kind: 'healthy', startMs: 500 });
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ service: 'api-blue\napi-green', image: `${REGISTRY}/api:v2` });

    expect(errorsOf(run)).toEqual([]);
    const registrations = sandbox.calls.slice(callsBefore).filter((call) => call.operation === 'RegisterTaskDefinition');
    expect(registrations).toHaveLength(1);
    const [blue, green] = servicesOf(run);
    expect(blue['task-definition-arn']).toBe(green['task-definition-arn']);
    expect(blue['task-definition-arn']).toMatch(/:task-definition\/api-blue:2$/);
  });
});

group('deploy-ecs with many services spends ECS calls as one step should', () => {
  test('25 services at ECS RegisterTaskDefinition rate: registrations wait for it, never throttled', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `fleet-${String(i + 1).padStart(2, '0')}`);
    await createServices(names, `${REGISTRY}/fleet:v1`);
    sandbox.script(`${REGISTRY}/fleet:v2`, { kind: 'healthy', startMs: 500 });
    // ECS's own bucket, full: the fixtures' registrations above are not counted.
    sandbox.setRateLimits(ECS_RATE_LIMITS);
    const callsBefore = sandbox.calls.length;
    try {
      const run = await deploy({ service: names.join('\n'), image: `${REGISTRY}/fleet:v2` });

      expect(errorsOf(run)).toEqual([]);
      expect(servicesOf(run).every((s) => s.status === 'succeeded')).toBe(true);
      const calls = sandbox.calls.slice(callsBefore);
      const registrations = calls.filter((call) => call.operation === 'RegisterTaskDefinition');
      expect(registrations).toHaveLength(25);
      expect(calls.filter((call) => call.fault === 'throttle')).toEqual([]);
      expect(Math.max(...describeCallsPerRound(calls))).toBeLessThanOrEqual(Math.ceil(25 / 10) + 2);
      // 20 at once, then one a second: the 25th is at least 4 s after the first.
      expect((registrations.at(-1) as ApiCall).at - registrations[0].at).toBeGreaterThanOrEqual(4000);
    } finally {
      sandbox.setRateLimits({});
    }
  });

  test('12 services: a quiet poll round costs at most ceil(12/10) + 2 DescribeServices calls', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `quiet-${String(i + 1).padStart(2, '0')}`);
    await createServices(names, `${REGISTRY}/quiet:v1`);
    // Slow to start (3 s at this sandbox's time scale): several rounds where nothing changes.
    sandbox.script(`${REGISTRY}/quiet:v2`, { kind: 'healthy', startMs: 60_000 });
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ service: names.join('\n'), image: `${REGISTRY}/quiet:v2` });

    expect(errorsOf(run)).toEqual([]);
    const perRound = describeCallsPerRound(sandbox.calls.slice(callsBefore));
    expect(perRound.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...perRound)).toBeLessThanOrEqual(Math.ceil(12 / 10) + 2);
  });
});

group('each service is described once before the first change', () => {
  test('one service: one DescribeServices call before its registration', async () => {
    await createServices(['lone-web'], `${REGISTRY}/lone:v1`);
    sandbox.script(`${REGISTRY}/lone:v2`, { kind: 'healthy', startMs: 500 });
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ service: 'lone-web', image: `${REGISTRY}/lone:v2` });

    expect(errorsOf(run)).toEqual([]);
    expect(callsBeforeFirstChange(sandbox.calls.slice(callsBefore))).toBe(1);
  });

  test('12 services: two DescribeServices calls of at most 10, not one more per service for its pre-flight', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `dozen-${String(i + 1).padStart(2, '0')}`);
    await createServices(names, `${REGISTRY}/dozen:v1`);
    sandbox.script(`${REGISTRY}/dozen:v2`, { kind: 'healthy', startMs: 500 });
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ service: names.join('\n'), image: `${REGISTRY}/dozen:v2` });

    expect(errorsOf(run)).toEqual([]);
    expect(servicesOf(run).every((s) => s.status === 'succeeded')).toBe(true);
    expect(callsBeforeFirstChange(sandbox.calls.slice(callsBefore))).toBe(2);
  });
});

group('deploy-ecs refuses what several services cannot take, before any change', () => {
  const names = ['mail-web', 'mail-worker'];
  beforeAll(async () => {
    await createServices(names, `${REGISTRY}/mail:v1`);
    await createService(sandbox, { service: 'mail-legacy', image: `${REGISTRY}/mail:v1`, desiredCount: 1, controller: 'CODE_DEPLOY' });
  });

  /** Runs the step and checks it failed with `error` and changed nothing. */
  async function expectRefusal(inputs: Record<string, string>, error: string | RegExp) {
    const callsBefore = sandbox.calls.length;
    const revisionsBefore = (await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: 'mail' }))).taskDefinitionArns;
    const run = await deploy(inputs);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([typeof error === 'string' ? error : expect.stringMatching(error)]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect((await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: 'mail' }))).taskDefinitionArns).toEqual(revisionsBefore);
    expect(run.outputs.services).toBeUndefined();
  }

  test('task-definition given', async () => {
    await expectRefusal(
      { service: names.join('\n'), 'task-definition': 'mail-web:1' },
      /^Input 'service' names 2 services, and each service's live revision is its base, so 'task-definition' must be empty\./,
    );
  });

  test('wait-until paused', async () => {
    await expectRefusal(
      { service: names.join('\n'), image: `${REGISTRY}/mail:v2`, 'wait-until': 'paused' },
      /wait-until paused returns with a PAUSE hook/,
    );
  });

  test('compare-with', async () => {
    await expectRefusal(
      { service: names.join('\n'), image: `${REGISTRY}/mail:v2`, 'compare-with': 'staging/mail-web' },
      "Input 'service' names 2 services, but 'compare-with' compares one service's new revision with another's. Remove compare-with, or deploy that service in a step of its own.",
    );
  });

  test('a CodeDeploy input', async () => {
    await expectRefusal(
      { service: names.join('\n'), image: `${REGISTRY}/mail:v2`, 'codedeploy-application': 'AppECS-prod-mail' },
      /^Input 'service' names 2 services, but 'codedeploy-application' is for a CODE_DEPLOY service/,
    );
  });

  test('a CODE_DEPLOY service among them', async () => {
    await expectRefusal(
      { service: `${names.join('\n')}\nmail-legacy`, image: `${REGISTRY}/mail:v2` },
      /^Input 'service' names several services, but mail-legacy uses the CODE_DEPLOY deployment controller: .* No service was changed\.$/s,
    );
  });

  test('a service the cluster does not have: its pre-flight refuses it in the words a lone service gets', async () => {
    await expectRefusal(
      { service: `${names.join('\n')}\nmail-ghost`, image: `${REGISTRY}/mail:v2` },
      `mail-ghost: Input 'service': there is no active service "mail-ghost" in cluster "prod" (us-east-1): MISSING.\nNo service was changed.`,
    );
  });

  test('a service named twice', async () => {
    await expectRefusal(
      { service: 'mail-web\nmail-worker\nmail-web', image: `${REGISTRY}/mail:v2` },
      "Input 'service' line 3 names mail-web again (first on line 1): give each service once.",
    );
  });

  test('a container one service does not have: the error names the service and the container', async () => {
    await expectRefusal(
      { service: names.join('\n'), images: `nginx=${REGISTRY}/nginx:1.27` },
      /^mail-web: .*"nginx".*\nmail-worker: .*"nginx".*\nNo service was changed\.$/s,
    );
  });
});
