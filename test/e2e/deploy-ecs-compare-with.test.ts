import { beforeAll, describe as group, expect, test } from '@jest/globals';
import {
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction, type ActionRun } from '../support/run-action';
import { PLANTED_DATABASE_URL, registerSecret } from '../support/secret-sweep';
import { useSandbox } from '../support/use-sandbox';
import { SECRETS_READER, secretsReaderRole } from '../support/secret-roles';

// compare-with through the bundled action: before production changes, the pre-flight checks list by name how the
// revision about to be registered differs from the one staging runs, in a collapsible group of the log and in the
// job summary, and the deploy goes on. No value reaches either: the sweep of runBundledAction fails a run that
// prints a planted or registered secret, and each test looks for the others.

const sandbox = useSandbox({ timeScale: 0.2, seed: { roles: [secretsReaderRole()] } });

const PRODUCTION_DATABASE_URL = 'postgres://shop:pr0duction-pass-51c9@db.production:5432/shop';
// The sandbox's account (sandbox.accountId), as an SSM parameter ARN names it.
const API_KEY_PARAMETER = 'arn:aws:ssm:us-east-1:000000000000:parameter/staging/api-key';
const API_KEY_VALUE = 'staging-api-key-value-8e21d0';
registerSecret(PRODUCTION_DATABASE_URL);
registerSecret(API_KEY_VALUE);

/** What no log line nor the summary may hold: each value that differs, and where staging's secret lives. */
const VALUES = [PLANTED_DATABASE_URL, PRODUCTION_DATABASE_URL, 'new-checkout', 'staging/api-key', API_KEY_VALUE, 'xray-daemon'];

function app(environment: Record<string, string>, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name: 'app',
    image: `${REGISTRY}/shop:v1`,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
    ...extra,
  };
}

/** The lines of the run's collapsible group whose title starts with `title`, without its markers. */
function groupLines(run: ActionRun, title: string): { title: string; lines: string[] } {
  const texts = run.lines.map((line) => line.text);
  const start = texts.findIndex((text) => text.startsWith(`::group::${title}`));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = texts.indexOf('::endgroup::', start);
  return { title: texts[start].slice('::group::'.length), lines: texts.slice(start + 1, end) };
}

const deployedRevision = async (cluster: string, service: string) =>
  (await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]?.taskDefinition;

group('deploy-ecs compare-with', () => {
  beforeAll(async () => {
    sandbox.putSecret(API_KEY_PARAMETER, API_KEY_VALUE);
    // Staging drifted: a bigger task, a variable and a secret production lacks, another DATABASE_URL, an X-Ray sidecar.
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      cluster: 'staging',
      service: 'shop-staging',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      cpu: '512',
      containers: [
        app(
          { LOG_LEVEL: 'debug', DATABASE_URL: PLANTED_DATABASE_URL, FEATURE_FLAGS: 'new-checkout' },
          { secrets: [{ name: 'API_KEY', valueFrom: API_KEY_PARAMETER }] },
        ),
        { name: 'xray', image: `${REGISTRY}/xray-daemon:3.3`, essential: false },
      ],
    });
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      cluster: 'production',
      service: 'shop-production',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      containers: [app({ LOG_LEVEL: 'info', DATABASE_URL: PRODUCTION_DATABASE_URL })],
    });
    // A pair that has not drifted: the same containers and sizes, each environment with its own family.
    for (const [cluster, service] of [
      ['staging', 'cart-staging'],
      ['production', 'cart-production'],
    ]) {
      await createService(sandbox, {
        executionRole: SECRETS_READER,
        cluster,
        service,
        image: `${REGISTRY}/shop:v1`,
        desiredCount: 1,
        containers: [app({ LOG_LEVEL: 'info' })],
      });
    }
  });

  test('a drifted pair: each difference by name in the table, the log group and the summary, no value anywhere; the deploy goes on', async () => {
    const run = await runBundledAction(
      'deploy-ecs',
      {
        cluster: 'production',
        service: 'shop-production',
        container: 'app',
        image: `${REGISTRY}/shop:v2`,
        // Set by the step: production's own log level is no drift.
        environment: 'LOG_LEVEL=warn',
        'compare-with': 'staging/shop-staging',
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(await deployedRevision('production', 'shop-production')).toBe(run.outputs['task-definition-arn']);
    expect(run.log).toMatch(
      /pass\s+Compared with staging\/shop-staging\s+5 differences from shop-staging:1, which staging\/shop-staging runs/,
    );
    const drift = groupLines(run, 'Compared with staging/shop-staging');
    expect(drift.title).toBe('Compared with staging/shop-staging: 5 differences');
    expect(drift.lines[0]).toMatch(
      /^The revision this step registers for production\/shop-production, against shop-staging:1, which staging\/shop-staging runs \(deployment ecs-svc\/\S+ \(PRIMARY\) is COMPLETED\)\. Not compared: the images \(the build being promoted\) and the family, and the environment variables and secrets this step sets \(LOG_LEVEL\)\. Names only: no value is shown\.$/,
    );
    expect(drift.lines.slice(1)).toEqual([
      '  cpu differs',
      '  containers[app].environment.DATABASE_URL differs',
      '  containers[app].environment.FEATURE_FLAGS only in staging/shop-staging',
      '  containers[app].secrets.API_KEY only in staging/shop-staging',
      '  containers[xray] only in staging/shop-staging',
    ]);
    expect(run.summary).toContain('### Compared with staging/shop-staging');
    expect(run.summary).toContain('containers[app].secrets.API_KEY only in staging/shop-staging');
    for (const value of VALUES) {
      expect(run.log).not.toContain(value);
      expect(run.summary).not.toContain(value);
    }
    // The cpu of either side is not printed by the report (the step's own change list names no cpu: it did not change).
    // Ids and ARNs are left out first: a random deployment id may hold the digits 256.
    const words = drift.lines.join('\n').replace(/ecs-svc\/\d+|arn:\S+/g, '');
    expect(words).not.toMatch(/\b(256|512)\b/);
  });

  test('an identical pair reports no differences, though family and image differ', async () => {
    const run = await runBundledAction(
      'deploy-ecs',
      {
        cluster: 'production',
        service: 'cart-production',
        container: 'app',
        image: `${REGISTRY}/shop:v2`,
        'compare-with': `arn:aws:ecs:us-east-1:${sandbox.accountId}:service/staging/cart-staging`,
        wait: 'false',
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered');
    expect(run.log).toMatch(
      /pass\s+Compared with staging\/cart-staging\s+no differences from cart-staging:1, which staging\/cart-staging runs/,
    );
    const drift = groupLines(run, 'Compared with staging/cart-staging');
    expect(drift.title).toBe('Compared with staging/cart-staging: no differences');
    expect(drift.lines.slice(1)).toEqual(['  no differences']);
    expect(run.summary).toMatch(/### Compared with staging\/cart-staging\n\n.*\n\nNo differences\./);
  });

  test('a compared service whose own revision is a deploy still failing: compared with the revision that serves, as its mechanism reports it', async () => {
    const ecs = ecsClient(sandbox);
    const staging = await createService(sandbox, {
      executionRole: SECRETS_READER,
      cluster: 'staging',
      service: 'orders-staging',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      containers: [app({ LOG_LEVEL: 'info' })],
    });
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      cluster: 'production',
      service: 'orders-production',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      containers: [app({ LOG_LEVEL: 'info' })],
    });
    // Staging's next revision crashes (no circuit breaker, so ECS keeps trying): the service's taskDefinition names it,
    // while revision 1's deployment, COMPLETED, still serves. Only the broken one has CHECKOUT_V2.
    sandbox.script(`${REGISTRY}/shop:crashes`, { kind: 'exit', exitCode: 1, afterMs: 100 });
    const broken = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'orders-staging',
        executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/${SECRETS_READER}`,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '1024',
        containerDefinitions: [app({ LOG_LEVEL: 'info', CHECKOUT_V2: 'on' }, { image: `${REGISTRY}/shop:crashes` })],
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: staging.cluster,
        service: staging.service,
        taskDefinition: broken.taskDefinition?.taskDefinitionArn,
      }),
    );
    expect(await deployedRevision('staging', 'orders-staging')).toBe(broken.taskDefinition?.taskDefinitionArn);

    const run = await runBundledAction(
      'deploy-ecs',
      {
        cluster: 'production',
        service: 'orders-production',
        image: `${REGISTRY}/shop:v2`,
        'compare-with': 'staging/orders-staging',
        wait: 'false',
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(
      /pass\s+Compared with staging\/orders-staging\s+no differences from orders-staging:1, which staging\/orders-staging runs/,
    );
    expect(groupLines(run, 'Compared with staging/orders-staging').lines[0]).toMatch(
      /against orders-staging:1, which staging\/orders-staging runs \(deployment ecs-svc\/\S+ \(ACTIVE\) is COMPLETED, still serving beside the PRIMARY deployment ecs-svc\/\S+ of orders-staging:2\)/,
    );
  });

  test('a CODE_DEPLOY compared service: compared with the revision its task set runs', async () => {
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      cluster: 'staging',
      service: 'pay-staging',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      controller: 'CODE_DEPLOY',
      cpu: '1024',
    });
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      cluster: 'production',
      service: 'pay-production',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
    });

    const run = await runBundledAction(
      'deploy-ecs',
      {
        cluster: 'production',
        service: 'pay-production',
        image: `${REGISTRY}/shop:v2`,
        'compare-with': 'staging/pay-staging',
        wait: 'false',
      },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    const drift = groupLines(run, 'Compared with staging/pay-staging');
    expect(drift.lines[0]).toMatch(
      /against pay-staging:1, which staging\/pay-staging runs \(task set \S+ \(PRIMARY, STEADY_STATE\) runs it\)/,
    );
    // Each service's container is named after it, so the two share none; their log groups are their own too.
    // Staging's 1 vCPU takes 2 GiB in the fixture (Fargate's smallest memory for it), production's 0.25 vCPU 1 GiB.
    expect(drift.lines.slice(1)).toEqual([
      '  cpu differs',
      '  memory differs',
      '  containers[pay-production] only in production/pay-production',
      '  containers[pay-staging] only in staging/pay-staging',
    ]);
  });
});
