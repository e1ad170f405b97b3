import { beforeAll, describe as group, expect, test } from '@jest/globals';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';
import { SECRETS_READER, secretsReaderRole } from '../support/secret-roles';

// The secrets-exist pre-flight check through the bundled deploy-ecs and run-migration, against the sandbox's SSM
// Parameter Store and Secrets Manager: a revision whose secrets all exist (an SSM parameter, a JSON key of a secret's
// previous version) goes on; a missing parameter, a missing secret or a version stage the secret does not have is
// refused before any revision is registered or task started; a look-up the role may not make is a warning. Without
// the pre-flight, the same missing secret stops the new tasks as ECS stops them, with ResourceInitializationError.

const sandbox = useSandbox({ timeScale: 0.2, seed: { roles: [secretsReaderRole()] } });
let secretArn: string;

const revisions = async (family: string) =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
const lines = (run: { lines: Array<{ text: string }> }) => run.lines.map((line) => line.text);
const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';

beforeAll(async () => {
  await new SSMClient(clientConfig(sandbox)).send(
    new PutParameterCommand({ Name: '/shop/db-url', Value: 'postgres://shop@db/shop', Type: 'SecureString' }),
  );
  const secrets = new SecretsManagerClient(clientConfig(sandbox));
  secretArn = (await secrets.send(new CreateSecretCommand({ Name: 'shop/db', SecretString: '{"password":"one"}' }))).ARN as string;
  // A rotation: the first version is now AWSPREVIOUS.
  await secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: '{"password":"two"}' }));
});

/** The service's live revision as a file, its first container given `secrets` (and the rest of `extra`). */
async function fileWith(family: string, secrets: Array<[string, string]>, extra: Partial<ContainerDefinition> = {}): Promise<string> {
  const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const definition = described.taskDefinition as Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown>> };
  Object.assign(definition.containerDefinitions[0], { secrets: secrets.map(([name, valueFrom]) => ({ name, valueFrom })), ...extra });
  const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), `${family}.json`);
  writeFileSync(file, JSON.stringify(definition));
  return file;
}

const FIX =
  'Create what is missing (aws ssm put-parameter, aws secretsmanager create-secret or put-secret-value with that staging label) or correct the valueFrom: ' +
  'ECS would stop every task of this revision with "ResourceInitializationError: unable to pull secrets or registry auth". Nothing was changed.';

group('deploy-ecs: every secret the new revision references exists', () => {
  beforeAll(async () => {
    await createService(sandbox, { executionRole: SECRETS_READER, service: 'vault', image: `${REGISTRY}/vault:v1`, desiredCount: 1 });
  });

  test('an SSM parameter and a JSON key of the previous version of a secret exist: the deploy goes on and its tasks start', async () => {
    const file = await fileWith('vault', [
      ['DATABASE_URL', '/shop/db-url'],
      ['DB_PASSWORD', `${secretArn}:password:AWSPREVIOUS:`],
    ]);
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'vault', 'task-definition': file },
      { env: sandbox.env() },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    const suffix = secretArn.slice(-6);
    expect(run.log).toMatch(
      new RegExp(
        `pass {2}Secrets exist +SSM parameter /shop/db-url and Secrets Manager secret shop/db-${suffix} exist; JSON key password of shop/db-${suffix} not checked: ` +
          "only the secret's value holds its keys, and the pre-flight never reads a value",
      ),
    );
    // Metadata only: no value was read by the step (the sandbox's ECS agent reads them, not over the API).
    const operations = sandbox.calls.map((call) => `${call.service}:${call.operation}`);
    expect(operations).toContain('ssm:DescribeParameters');
    expect(operations).toContain('secretsmanager:DescribeSecret');
    expect(operations).not.toContain('secretsmanager:GetSecretValue');
    expect(operations).not.toContain('ssm:GetParameters');
  });

  test.each([
    [
      'a parameter that does not exist',
      [['API_KEY', '/shop/api-key']] as Array<[string, string]>,
      () => `Container "vault" variable API_KEY references SSM parameter /shop/api-key (${sandbox.region}), which does not exist. ${FIX}`,
    ],
    [
      'a secret that does not exist',
      [['TOKEN', `arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/token`]] as Array<[string, string]>,
      () =>
        'Container "vault" variable TOKEN references Secrets Manager secret arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/token (us-east-1), ' +
        `which does not exist. ${FIX}`,
    ],
    [
      'a version stage the secret does not have',
      [['DB_PASSWORD', 'STAGE']] as Array<[string, string]>,
      () =>
        `Container "vault" variable DB_PASSWORD references Secrets Manager secret ${secretArn}:password:AWSPENDING: (us-east-1), which has no version ` +
        `with staging label AWSPENDING (its labels: AWSCURRENT, AWSPREVIOUS). ${FIX}`,
    ],
  ])('%s is refused before any revision is registered, and the service is unchanged', async (_what, secrets, message) => {
    const references = secrets.map(([name, valueFrom]): [string, string] => [
      name,
      valueFrom === 'STAGE' ? `${secretArn}:password:AWSPENDING:` : valueFrom,
    ]);
    const file = await fileWith('vault', references);
    const before = await revisions('vault');
    const live = (await describe(sandbox, 'prod', 'vault')).taskDefinition;
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'vault', 'task-definition': file },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([message()]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('vault')).toEqual(before);
    expect((await describe(sandbox, 'prod', 'vault')).taskDefinition).toBe(live);
    expect(run.summary).toMatch(/❌ fail \| Secrets exist \| `task-definition`/);
  });

  test('the role refused DescribeParameters and DescribeSecret: a warning naming both, and the deploy goes on', async () => {
    const file = await fileWith('vault', [
      ['DATABASE_URL', '/shop/db-url'],
      ['DB_PASSWORD', `${secretArn}:password::`],
    ]);
    sandbox.setFaults({ operations: ['DescribeParameters', 'DescribeSecret'], refuseWith: 'AccessDeniedException' });
    try {
      const run = await runBundledAction(
        'deploy-ecs',
        { cluster: 'prod', service: 'vault', 'task-definition': file, wait: 'false' },
        { env: sandbox.env() },
      );

      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('registered');
      const warning = lines(run).find((line) => line.startsWith('::warning::Secrets exist:')) ?? '';
      expect(warning).toContain(
        `SSM parameter /shop/db-url (${sandbox.region}) of container "vault" was not checked: the role may not call ssm:DescribeParameters`,
      );
      expect(warning).toContain(`of container "vault" was not checked: the role may not call secretsmanager:DescribeSecret`);
      expect(warning).toContain('Grant ssm:DescribeParameters and secretsmanager:DescribeSecret to have them checked.');
    } finally {
      sandbox.setFaults(undefined);
    }
  });

  test('with preflight: false the missing secret is not looked up, and the new tasks stop as ECS stops them', async () => {
    await createService(sandbox, {
      executionRole: SECRETS_READER,
      service: 'strongbox',
      image: `${REGISTRY}/strongbox:v1`,
      desiredCount: 1,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    const missing = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/missing';
    const file = await fileWith('strongbox', [['TOKEN', missing]]);
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'strongbox', 'task-definition': file, preflight: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const operations = sandbox.calls.slice(callsBefore).map((call) => call.operation);
    expect(operations).not.toContain('DescribeSecret');
    expect(operations).toContain('UpdateService');
    // The step quotes the stopped reason (shortened); DescribeTasks has it whole, as ECS gives it.
    expect(errorsOf(run).join('\n')).toContain(`ECS could not prepare the task (${PREFIX}: unable to retrieve secret from asm: `);
    const ecs = ecsClient(sandbox);
    const stopped = await ecs.send(new ListTasksCommand({ cluster: 'prod', family: 'strongbox', desiredStatus: 'STOPPED' }));
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: stopped.taskArns }))).tasks ?? [];
    const failed = tasks.filter((task) => task.taskDefinitionArn?.endsWith(':2'));
    expect(failed.length).toBeGreaterThan(0);
    for (const task of failed)
      expect(task).toMatchObject({
        stopCode: 'TaskFailedToStart',
        stoppedReason:
          `${PREFIX}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${missing} from secrets manager: ` +
          "ResourceNotFoundException: Secrets Manager can't find the specified secret.",
      });
  });
});

group('run-migration: the secrets of the task are checked before it starts', () => {
  beforeAll(async () => {
    await createService(sandbox, { executionRole: SECRETS_READER, service: 'ledger', image: `${REGISTRY}/ledger:v1`, desiredCount: 1 });
  });

  test('existing secrets (SSM, and a JSON key of a secret) pass, and the migration runs', async () => {
    sandbox.script(`${REGISTRY}/ledger:v1`, { kind: 'exit', exitCode: 0, afterMs: 100, logs: ['migrated'] });
    const file = await fileWith('ledger', [
      ['DATABASE_URL', '/shop/db-url'],
      ['DB_PASSWORD', `${secretArn}:password::`],
    ]);
    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.log).toMatch(/pass {2}Secrets exist +SSM parameter \/shop\/db-url and Secrets Manager secret shop\/db-\w{6} exist/);
  });

  test('a missing parameter is refused before any revision is registered or task started', async () => {
    const file = await fileWith('ledger', [['API_KEY', '/ledger/api-key']]);
    const before = await revisions('ledger');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Container "ledger" variable API_KEY references SSM parameter /ledger/api-key (${sandbox.region}), which does not exist. ${FIX}`,
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('ledger')).toEqual(before);
  });

  test('a missing secret and a missing version stage are refused, each named', async () => {
    const file = await fileWith('ledger', [
      ['TOKEN', 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ledger/token'],
      ['OLD', `${secretArn}::AWSPENDING:`],
    ]);
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain(
      'variable TOKEN references Secrets Manager secret arn:aws:secretsmanager:us-east-1:000000000000:secret:ledger/token (us-east-1), which does not exist',
    );
    expect(errorsOf(run)[0]).toContain('variable OLD references Secrets Manager secret');
    expect(errorsOf(run)[0]).toContain('which has no version with staging label AWSPENDING');
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  test('AccessDenied on DescribeSecret is a warning, and the migration runs', async () => {
    sandbox.script(`${REGISTRY}/ledger:v1`, { kind: 'exit', exitCode: 0, afterMs: 100 });
    const file = await fileWith('ledger', [['DB_PASSWORD', `${secretArn}:password::`]]);
    sandbox.setFaults({ operations: ['DescribeSecret'], refuseWith: 'AccessDeniedException' });
    try {
      const run = await runBundledAction(
        'run-migration',
        { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
        { env: sandbox.env() },
      );

      expect(run.exitCode).toBe(0);
      expect(lines(run)).toContainEqual(
        expect.stringMatching(
          /^::warning::Secrets exist: Secrets Manager secret .* of container "ledger" was not checked: the role may not call secretsmanager:DescribeSecret/,
        ),
      );
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});
