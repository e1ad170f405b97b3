import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, describe, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { roleArn, secretsReaderRole } from '../support/secret-roles';
import { useSandbox } from '../support/use-sandbox';

// The pre-flight checks of a revision's IAM roles through the bundled deploy-ecs and run-migration, against the
// sandbox's IAM: "Roles exist and trust ECS" (GetRole, the URL-encoded trust policy) and "Execution role may read the
// secrets" (SimulatePrincipalPolicy of ssm:GetParameters and secretsmanager:GetSecretValue on each secret). A role
// that is missing or does not trust ecs-tasks.amazonaws.com, or an execution role that may not read a secret, is
// refused before anything is registered; without iam:GetRole or iam:SimulatePrincipalPolicy each is a warning; a
// policy condition the simulation cannot judge is reported as not checked.

const ACCOUNT = '000000000000';
const sandbox = useSandbox({
  timeScale: 0.2,
  seed: {
    roles: [
      secretsReaderRole('shop-execution', [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/*`]),
      { RoleName: 'shop-task' },
      {
        RoleName: 'ec2-only',
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
      {
        RoleName: 'tagged-reader',
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
        Policies: [
          {
            PolicyName: 'tagged',
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'ssm:GetParameters',
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:ResourceTag/team': 'shop' } },
                },
              ],
            },
          },
        ],
      },
    ],
  },
});

const revisions = async (family: string) =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
const lines = (run: ActionRun) => run.lines.map((line) => line.text);
const DB_URL = '/shop/db-url';

beforeAll(async () => {
  await new SSMClient(clientConfig(sandbox)).send(
    new PutParameterCommand({ Name: DB_URL, Value: 'postgres://shop@db/shop', Type: 'SecureString' }),
  );
});

/** The service's live revision as a file, with these roles (undefined leaves a role out) and its first container's secrets. */
async function fileWith(
  family: string,
  roles: { execution?: string; task?: string },
  secrets: Array<[string, string]> = [['DATABASE_URL', DB_URL]],
): Promise<string> {
  const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const definition = described.taskDefinition as Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown>> };
  delete definition.executionRoleArn;
  if (roles.execution) definition.executionRoleArn = roleArn(sandbox, roles.execution);
  if (roles.task) definition.taskRoleArn = roleArn(sandbox, roles.task);
  definition.containerDefinitions[0].secrets = secrets.map(([name, valueFrom]) => ({ name, valueFrom }));
  const file = join(mkdtempSync(join(tmpdir(), 'roles-')), `${family}.json`);
  writeFileSync(file, JSON.stringify(definition));
  return file;
}

const ROLES_FIX =
  'Create the role or correct its ARN, and let ecs-tasks.amazonaws.com assume it (a trust policy statement allowing sts:AssumeRole to that ' +
  'service principal): ECS would start no task of this revision. Nothing was changed.';

group('deploy-ecs: the roles of the new revision', () => {
  beforeAll(async () => {
    await createService(sandbox, { executionRole: 'shop-execution', service: 'vault', image: `${REGISTRY}/vault:v1`, desiredCount: 1 });
  });

  /** Deploys `file` and asserts the step failed with `message` before anything changed. */
  async function expectRefused(file: string, message: string, title: string) {
    const before = await revisions('vault');
    const live = (await describe(sandbox, 'prod', 'vault')).taskDefinition;
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'vault', 'task-definition': file },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([message]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('vault')).toEqual(before);
    expect((await describe(sandbox, 'prod', 'vault')).taskDefinition).toBe(live);
    expect(run.summary).toContain(`❌ fail | ${title} | \`task-definition\``);
  }

  test('roles that exist and trust ECS, and an execution role that may read the secret: both pass and the tasks start', async () => {
    const file = await fileWith('vault', { execution: 'shop-execution', task: 'shop-task' });
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'vault', 'task-definition': file },
      { env: sandbox.env() },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.log).toMatch(/pass {2}Roles exist and trust ECS +shop-execution and shop-task exist and trust ecs-tasks\.amazonaws\.com/);
    expect(run.log).toMatch(/pass {2}Execution role may read the secrets +shop-execution may read the secret \(policy simulation\)/);
    const operations = sandbox.calls.slice(callsBefore).map((call) => `${call.service}:${call.operation}`);
    expect(operations).toContain('iam:GetRole');
    expect(operations).toContain('iam:SimulatePrincipalPolicy');
  });

  test('a task role that does not exist is refused before any revision is registered', async () => {
    await expectRefused(
      await fileWith('vault', { execution: 'shop-execution', task: 'no-such-role' }),
      `Task role no-such-role (taskRoleArn) does not exist. ${ROLES_FIX}`,
      'Roles exist and trust ECS',
    );
  });

  test('a task role that only EC2 may assume is refused, naming the principal its trust policy names', async () => {
    await expectRefused(
      await fileWith('vault', { execution: 'shop-execution', task: 'ec2-only' }),
      'Task role ec2-only (taskRoleArn) does not trust ecs-tasks.amazonaws.com: its trust policy lets ec2.amazonaws.com assume it, ' +
        `not ecs-tasks.amazonaws.com. ${ROLES_FIX}`,
      'Roles exist and trust ECS',
    );
  });

  test('the default execution role, which may not read SSM parameters, is refused naming the secret and the action', async () => {
    await expectRefused(
      await fileWith('vault', { execution: 'ecsTaskExecutionRole', task: 'shop-task' }),
      'Execution role ecsTaskExecutionRole may not read a secret: Container "vault" variable DATABASE_URL (ssm:GetParameters on ' +
        `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/db-url): no policy of ecsTaskExecutionRole allows it. Allow ssm:GetParameters on it in a ` +
        'policy of ecsTaskExecutionRole (or correct the valueFrom): ECS would stop every task of this revision with "ResourceInitializationError: ' +
        'unable to pull secrets or registry auth: ... AccessDeniedException". Nothing was changed.',
      'Execution role may read the secrets',
    );
  });

  test('a secret with no execution role at all is refused', async () => {
    await expectRefused(
      await fileWith('vault', { task: 'shop-task' }),
      'Container "vault" variable DATABASE_URL references a secret, but the revision has no executionRoleArn. ECS fetches secrets with the ' +
        'task execution role and refuses a task definition with secrets without one: set executionRoleArn to a role that trusts ' +
        'ecs-tasks.amazonaws.com and may call ssm:GetParameters or secretsmanager:GetSecretValue on them. Nothing was changed.',
      'Execution role may read the secrets',
    );
  });

  test('a policy condition the simulation cannot judge: a line saying the secret was not checked, and the deploy goes on', async () => {
    const file = await fileWith('vault', { execution: 'tagged-reader' });

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'vault', 'task-definition': file, wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(lines(run)).toContain(
      '::warning::Execution role may read the secrets: Not checked: Container "vault" variable DATABASE_URL (ssm:GetParameters on ' +
        `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/db-url): a policy condition on aws:ResourceTag/team decides, which the simulation cannot judge.`,
    );
  });

  test('without iam:GetRole and iam:SimulatePrincipalPolicy: a warning naming each permission, and the deploy goes on', async () => {
    const file = await fileWith('vault', { execution: 'shop-execution', task: 'shop-task' });
    sandbox.setIamPolicy({
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: ['iam:GetRole', 'iam:SimulatePrincipalPolicy'], Resource: '*' },
      ],
    });
    try {
      const run = await runBundledAction(
        'deploy-ecs',
        { cluster: 'prod', service: 'vault', 'task-definition': file, wait: 'false' },
        { env: sandbox.env() },
      );

      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('registered');
      const warnings = lines(run).filter((line) => line.startsWith('::warning::'));
      expect(warnings).toContainEqual(
        expect.stringMatching(/^::warning::Roles exist and trust ECS: Not checked: .* may not call iam:GetRole .*Grant iam:GetRole/),
      );
      expect(warnings).toContainEqual(
        expect.stringMatching(
          /^::warning::Execution role may read the secrets: Not checked: .* may not call iam:SimulatePrincipalPolicy .*Grant iam:SimulatePrincipalPolicy/,
        ),
      );
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });
});

group('run-migration: the roles of the task', () => {
  beforeAll(async () => {
    await createService(sandbox, { executionRole: 'shop-execution', service: 'ledger', image: `${REGISTRY}/ledger:v1`, desiredCount: 1 });
  });

  test('roles that trust ECS and an execution role that may read the secret pass, and the migration runs', async () => {
    sandbox.script(`${REGISTRY}/ledger:v1`, { kind: 'exit', exitCode: 0, afterMs: 100, logs: ['migrated'] });
    const file = await fileWith('ledger', { execution: 'shop-execution', task: 'shop-task' });

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.log).toMatch(/pass {2}Roles exist and trust ECS +shop-execution and shop-task exist/);
    expect(run.log).toMatch(/pass {2}Execution role may read the secrets +shop-execution may read the secret/);
  });

  test('a task role that does not trust ECS is refused before any revision is registered or task started', async () => {
    const file = await fileWith('ledger', { execution: 'shop-execution', task: 'ec2-only' });
    const before = await revisions('ledger');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      'Task role ec2-only (taskRoleArn) does not trust ecs-tasks.amazonaws.com: its trust policy lets ec2.amazonaws.com assume it, ' +
        `not ecs-tasks.amazonaws.com. ${ROLES_FIX}`,
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('ledger')).toEqual(before);
  });

  test('an execution role that may not read the secret is refused before any revision is registered or task started', async () => {
    const file = await fileWith('ledger', { execution: 'ecsTaskExecutionRole' });
    const before = await revisions('ledger');
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'run-migration',
      { cluster: 'prod', service: 'ledger', 'task-definition': file, command: 'migrate' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /^Execution role ecsTaskExecutionRole may not read a secret: Container "ledger" variable DATABASE_URL \(ssm:GetParameters on /,
      ),
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('ledger')).toEqual(before);
  });
});
