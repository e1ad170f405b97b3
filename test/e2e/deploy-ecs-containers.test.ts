import { beforeAll, describe as group, expect, test } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';
import { SECRETS_READER, secretsReaderRole } from '../support/secret-roles';

// An app and its Envoy sidecar released together through the bundled deploy-ecs: `images` changes both, a
// `container:` line of environment or secrets lands in the sidecar, and `secrets` become valueFrom references. A
// container the revision does not have is refused in pre-flight, before any revision is registered.

const sandbox = useSandbox({ timeScale: 0.2, seed: { roles: [secretsReaderRole()] } });

// The sandbox's own account: its SSM and Secrets Manager hold the references below, as a real account would.
const ACCOUNT = '000000000000';
const DB_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/shop-db-AbCdEf`;
const ENVOY_TOKEN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/envoy/token`;
const PLAIN_PASSWORD = 'plain-text-hunter2';

const containers: ContainerDefinition[] = [
  {
    name: 'app',
    image: `${REGISTRY}/shop:v1`,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    environment: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', value: PLAIN_PASSWORD },
    ],
    secrets: [{ name: 'API_KEY', valueFrom: '/prod/shop/api-key' }],
  },
  { name: 'envoy', image: `${REGISTRY}/envoy:v1.31`, essential: true, portMappings: [{ containerPort: 9901 }] },
];

const ecs = () => ecsClient(sandbox);
const revisions = async () => (await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: 'shop' }))).taskDefinitionArns ?? [];
const registered = async (arn: string) => {
  const answer = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  return Object.fromEntries((answer.taskDefinition?.containerDefinitions ?? []).map((c) => [c.name, c]));
};

group('deploy-ecs releases an app and its sidecar together', () => {
  beforeAll(async () => {
    for (const reference of [DB_SECRET, ENVOY_TOKEN, '/prod/shop/api-key']) sandbox.putSecret(reference, 'not-printed');
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      service: 'shop',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      containers,
    });
  });

  test('images changes both containers, prefixed lines land in the sidecar, secrets become valueFrom', async () => {
    const run = await runBundledAction(
      'deploy-ecs',
      {
        cluster: 'prod',
        service: 'shop',
        container: 'app',
        images: `app=${REGISTRY}/shop:v2\nenvoy=${REGISTRY}/envoy:v1.32`,
        environment: 'FEATURE_X=on\nenvoy:UPSTREAM=http://localhost:8080/?a=b',
        secrets: `DB_PASSWORD=${DB_SECRET}\nenvoy:ADMIN_TOKEN=${ENVOY_TOKEN}`,
      },
      { env: sandbox.env() },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    const arn = run.outputs['task-definition-arn'];
    const service = await ecs().send(new DescribeServicesCommand({ cluster: 'prod', services: ['shop'] }));
    expect(service.services?.[0].taskDefinition).toBe(arn);

    const { app, envoy } = await registered(arn);
    expect([app.image, envoy.image]).toEqual([`${REGISTRY}/shop:v2`, `${REGISTRY}/envoy:v1.32`]);
    // The secret replaced the plain-text variable of its name; the other variable and the existing secret stay.
    expect(app.environment).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'FEATURE_X', value: 'on' },
    ]);
    expect(app.secrets).toEqual([
      { name: 'API_KEY', valueFrom: '/prod/shop/api-key' },
      { name: 'DB_PASSWORD', valueFrom: DB_SECRET },
    ]);
    expect(envoy.environment).toEqual([{ name: 'UPSTREAM', value: 'http://localhost:8080/?a=b' }]);
    expect(envoy.secrets).toEqual([{ name: 'ADMIN_TOKEN', valueFrom: ENVOY_TOKEN }]);

    // The change list says what moved, with the reference and never the plain-text value it replaced.
    expect(run.log).toContain(`container app: image ${REGISTRY}/shop:v1 → ${REGISTRY}/shop:v2`);
    expect(run.log).toContain(`container envoy: image ${REGISTRY}/envoy:v1.31 → ${REGISTRY}/envoy:v1.32`);
    expect(run.log).toContain(
      `container app: DB_PASSWORD is now a secret from ${DB_SECRET}; the plain-text environment variable of that name is removed`,
    );
    expect(run.log).toContain('container envoy: environment +UPSTREAM');
    expect(run.log).toContain('container envoy: secrets +ADMIN_TOKEN');
    expect(run.log).not.toContain(PLAIN_PASSWORD);
  });

  test('a container the revision does not have fails the pre-flight render, before any revision is registered', async () => {
    const before = await revisions();
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', images: `app=${REGISTRY}/shop:v3\nnginx=${REGISTRY}/nginx:1.27` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'images' line 2 names the container "nginx", but task definition family shop has the containers "app", "envoy".`,
    ]);
    expect(run.summary).toMatch(/❌ fail \| New revision renders \| `images`/);
    const calls = sandbox.calls.slice(callsBefore);
    expect(mutatingCalls(calls)).toEqual([]);
    expect(calls.map((call) => call.operation)).not.toContain('RegisterTaskDefinition');
    expect(await revisions()).toEqual(before);
  });

  test('a task-definition file: a prefixed line naming no container of the file fails before any AWS call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'containers-'));
    const file = join(dir, 'shop.json');
    writeFileSync(file, JSON.stringify({ family: 'shop', containerDefinitions: containers }));
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', 'task-definition': file, secrets: `nginx:TOKEN=${ENVOY_TOKEN}` },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'secrets' line 1 (nginx:TOKEN) names the container "nginx", but task definition family shop has the containers "app", "envoy".`,
    ]);
    expect(run.summary).toMatch(/❌ fail \| Task definition file renders \| `secrets`/);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });
});
