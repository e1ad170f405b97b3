import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

// The images-exist and log-groups-exist pre-flight checks through the bundled deploy-ecs and run-migration: an
// image the sandbox's ECR does not hold, or a log group that does not exist, is refused before any revision is
// registered or task started; other registries are asked over a real socket (a local registry speaking the v2
// manifest HEAD with a Bearer challenge); a registry that does not answer, or ECR refusing the look-up, is a warning.

const sandbox = useSandbox({ timeScale: 0.2 });

const revisions = async (family: string) =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
const lines = (run: { lines: Array<{ text: string }> }) => run.lines.map((line) => line.text);
/** The sandbox's own account's registry: authoritative, unlike other accounts' (see the sandbox's ecr/other-accounts.ts). */
const own = () => `${sandbox.accountId}.dkr.ecr.${sandbox.region}.amazonaws.com`;

/** A registry on loopback: anonymous requests are challenged (Bearer), the token realm answers, one tag exists. */
let registry: Server;
let registryHost: string;
beforeAll(async () => {
  registry = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://registry');
    if (url.pathname === '/token') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"anonymous"}');
    if (request.headers.authorization !== 'Bearer anonymous')
      return void response
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://${registryHost}/token",service="local",scope="repository:team/api:pull"`,
        })
        .end();
    if (url.pathname !== '/v2/team/api/manifests/1.0') return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': `sha256:${'c'.repeat(64)}` })
      .end();
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryHost = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
  await new ECRClient(clientConfig(sandbox)).send(new CreateRepositoryCommand({ repositoryName: 'shop' }));
});
afterAll(() => new Promise<void>((resolve) => registry.close(() => resolve())));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

group('deploy-ecs: every image the new revision runs exists', () => {
  beforeAll(async () => {
    await createService(sandbox, { service: 'shop', image: `${REGISTRY}/shop:v1`, desiredCount: 1 });
  });

  test('a tag not in ECR is refused before any revision is registered, and the service is unchanged', async () => {
    const before = await revisions('shop');
    const live = (await describe(sandbox, 'prod', 'shop')).taskDefinition;
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${own()}/shop:v9` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `container "shop" runs ${own()}/shop:v9, which is not in repository shop of registry ${sandbox.accountId} (${sandbox.region}): ` +
        'the repository holds no tagged image. Push the image, or correct the tag or digest. Nothing was changed.',
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('shop')).toEqual(before);
    expect((await describe(sandbox, 'prod', 'shop')).taskDefinition).toBe(live);
    expect(run.summary).toMatch(/❌ fail \| Images exist \| `image`/);
  });

  test('a repository that does not exist is refused, worded apart from a missing tag', async () => {
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${own()}/shopp:v1` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(
      /^container "shop" runs .*\/shopp:v1, whose repository shopp does not exist in registry 000000000000 \(us-east-1\)\./,
    );
  });

  test("with preflight 'warn' the missing tag is a warning and the revision is registered", async () => {
    const before = await revisions('shop');
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${own()}/shop:v9`, preflight: 'warn', wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered');
    expect(lines(run)).toContainEqual(
      expect.stringMatching(/^::warning::Images exist: container "shop" runs .*shop:v9, which is not in repository shop/),
    );
    expect(await revisions('shop')).toHaveLength(before.length + 1);
  });

  test('an image of another registry, found there with an anonymous token, passes', async () => {
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${registryHost}/team/api:1.0`, wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(
      new RegExp(`pass {2}Images exist +container "shop" runs ${registryHost}/team/api:1\\.0 \\(sha256:c+\\), found on ${registryHost}`),
    );
  });

  test('an image another registry does not have is refused before any revision is registered', async () => {
    const before = await revisions('shop');
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${registryHost}/team/api:2.0` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain(`container "shop" runs ${registryHost}/team/api:2.0, which ${registryHost} does not have`);
    expect(await revisions('shop')).toEqual(before);
  });

  test('a registry that cannot be reached is a warning naming the host, and the deploy goes on', async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', image: `${host}/team/api:1.0`, wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered');
    expect(lines(run)).toContainEqual(
      `::warning::Images exist: container "shop" runs ${host}/team/api:1.0, not checked: registry ${host} could not be reached (ECONNREFUSED).`,
    );
  });

  test('ECR refusing DescribeImages is a warning naming ecr:DescribeImages, and the deploy goes on', async () => {
    sandbox.setFaults({ operations: ['DescribeImages'], refuseWith: 'AccessDeniedException' });
    try {
      const run = await runBundledAction(
        'deploy-ecs',
        { cluster: 'prod', service: 'shop', image: `${REGISTRY}/shop:v5`, wait: 'false' },
        { env: sandbox.env() },
      );

      expect(run.exitCode).toBe(0);
      expect(lines(run)).toContainEqual(
        expect.stringMatching(
          /^::warning::Images exist: container "shop" runs .*shop:v5, not checked: the role may not call ecr:DescribeImages/,
        ),
      );
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

group('deploy-ecs: awslogs log groups exist', () => {
  test('a file whose container writes to a group that does not exist (without awslogs-create-group) is refused', async () => {
    await createService(sandbox, { service: 'cart', image: `${REGISTRY}/cart:v1`, desiredCount: 1 });
    const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: 'cart' }));
    const definition = described.taskDefinition as Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown>> };
    definition.containerDefinitions[0].logConfiguration = {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/cart-missing', 'awslogs-region': sandbox.region, 'awslogs-stream-prefix': 'ecs' },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'log-groups-')), 'cart.json');
    writeFileSync(file, JSON.stringify(definition));
    const before = await revisions('cart');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction('deploy-ecs', { cluster: 'prod', service: 'cart', 'task-definition': file }, { env: sandbox.env() });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Container "cart" writes to log group /ecs/cart-missing (${sandbox.region}), which does not exist. Create it (aws logs create-log-group --log-group-name <name>), ` +
        'or set awslogs-create-group: "true" in its logConfiguration options (the task execution role then needs logs:CreateLogGroup). Nothing was changed.',
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('cart')).toEqual(before);
  });
});

group('run-migration: images and log groups are checked before the task starts', () => {
  beforeAll(async () => {
    await createService(sandbox, { service: 'ledger', image: `${REGISTRY}/ledger:v1`, desiredCount: 1 });
  });

  test('a tag not in ECR is refused before any revision is registered or task started', async () => {
    const before = await revisions('ledger');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', image: `${own()}/shop:missing`, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/^container "ledger" runs .*\/shop:missing, which is not in repository shop of registry 000000000000/);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('ledger')).toEqual(before);
  });

  test('a task-definition file whose container writes to a missing log group is refused before any task starts', async () => {
    const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: 'ledger' }));
    const definition = described.taskDefinition as Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown>> };
    definition.containerDefinitions[0].logConfiguration = {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/ledger-migrations', 'awslogs-region': sandbox.region, 'awslogs-stream-prefix': 'migrate' },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'log-groups-')), 'ledger.json');
    writeFileSync(file, JSON.stringify(definition));
    const before = await revisions('ledger');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(
      /^Container "ledger" writes to log group \/ecs\/ledger-migrations \(us-east-1\), which does not exist\. /,
    );
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('ledger')).toEqual(before);
  });

  test("another account's image the sandbox runs passes, and both checks are in the table", async () => {
    sandbox.script(`${REGISTRY}/ledger:v2`, { kind: 'exit', exitCode: 0, afterMs: 100 });
    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', image: `${REGISTRY}/ledger:v2`, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/pass {2}Images exist +container "ledger" runs .*ledger:v2 \(sha256:/);
    expect(run.log).toMatch(/pass {2}Log groups exist +1 container creates its group \(awslogs-create-group\)/);
  });
});
