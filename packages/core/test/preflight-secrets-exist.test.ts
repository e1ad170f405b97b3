import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { ClientFactory } from '../src/common/aws';
import { secretsExistCheck } from '../src/preflight/checks/secrets-exist';
import { preflightFailure, preflightOf } from './support/preflight';

const ssmMock = mockClient(SSMClient);
const secretsMock = mockClient(SecretsManagerClient);
const regions: Array<[string, string]> = [];
const aws: ClientFactory = (Client, region) => {
  regions.push([(Client as { name: string }).name, region]);
  return new Client({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } as never);
};
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db';
const FULL = `${SECRET}-AbCdEf`;
const check = (...containers: ContainerDefinition[]) =>
  secretsExistCheck({
    definition: { family: 'web', executionRoleArn: 'arn:aws:iam::123456789012:role/exec', containerDefinitions: containers },
    aws,
    region: 'us-east-1',
  });
const withSecrets = (name: string, secrets: Array<[string, string]>): ContainerDefinition => ({
  name,
  image: 'web:1',
  secrets: secrets.map(([variable, valueFrom]) => ({ name: variable, valueFrom })),
});
const denied = (action: string) =>
  Object.assign(
    new Error(`User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ${action} on resource: x`),
    {
      name: 'AccessDeniedException',
    },
  );
const notFound = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });

beforeEach(() => {
  ssmMock.reset();
  secretsMock.reset();
  regions.length = 0;
  ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/prod/db-url' }, { Name: 'api-key' }] });
  secretsMock
    .on(DescribeSecretCommand)
    .resolves({ ARN: FULL, Name: 'prod/db', VersionIdsToStages: { 'v-1': ['AWSPREVIOUS'], 'v-2': ['AWSCURRENT'] } });
});

describe('secrets-exist', () => {
  test('a revision without secrets passes with no look-up', async () => {
    const report = await preflightOf(check({ name: 'app', image: 'web:1' }));
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'no container references a secret' });
    expect(regions).toEqual([]);
  });

  test('existing parameters and secrets pass; SSM names go in one DescribeParameters with a Name Equals filter; no value is read', async () => {
    const report = await preflightOf(
      check(
        withSecrets('app', [
          ['DB_URL', '/prod/db-url'],
          ['API_KEY', 'arn:aws:ssm:us-east-1:123456789012:parameter/api-key'],
          ['PASSWORD', `${FULL}:password:AWSPREVIOUS:`],
        ]),
        withSecrets('worker', [['DB_URL', '/prod/db-url']]),
      ),
    );
    expect(report.rows[0]).toMatchObject({
      status: 'pass',
      message:
        'SSM parameters /prod/db-url, api-key and Secrets Manager secret prod/db-AbCdEf exist; JSON key password of prod/db-AbCdEf not checked: ' +
        "only the secret's value holds its keys, and the pre-flight never reads a value",
    });
    const calls = ssmMock.commandCalls(DescribeParametersCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/prod/db-url', 'api-key'] }], MaxResults: 50 },
    ]);
    expect(secretsMock.commandCalls(DescribeSecretCommand).map((call) => call.args[0].input)).toEqual([{ SecretId: FULL }]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(ssmMock.commandCalls(GetParametersCommand)).toHaveLength(0);
  });

  test('the same JSON key of the same secret in two containers is named once, with one DescribeSecret', async () => {
    const report = await preflightOf(
      check(
        withSecrets('app', [['PASSWORD', `${FULL}:password::`]]),
        withSecrets('worker', [['PASSWORD', `${FULL}:password:AWSPREVIOUS:`]]),
      ),
    );
    expect(report.rows[0].message).toBe(
      "Secrets Manager secret prod/db-AbCdEf exists; JSON key password of prod/db-AbCdEf not checked: only the secret's value holds its keys, and the pre-flight never reads a value",
    );
    expect(secretsMock.commandCalls(DescribeSecretCommand)).toHaveLength(1);
  });

  test('more than 50 parameter names in a region are asked 50 at a time', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `/p/${i}`);
    ssmMock.on(DescribeParametersCommand).callsFake((input: { ParameterFilters: Array<{ Values: string[] }> }) => ({
      Parameters: input.ParameterFilters[0].Values.map((Name) => ({ Name })),
    }));
    const report = await preflightOf(
      check(
        withSecrets(
          'app',
          names.map((name, i) => [`V${i}`, name]),
        ),
      ),
    );
    expect(report.rows[0].status).toBe('pass');
    expect(ssmMock.commandCalls(DescribeParametersCommand).map((call) => call.args[0].input.ParameterFilters?.[0].Values?.length)).toEqual([
      50, 50, 20,
    ]);
  });

  test('a missing parameter fails naming the container, the variable, the parameter and what to do', async () => {
    const error = await preflightFailure(check(withSecrets('app', [['TOKEN', '/prod/token']])));
    expect(error.message).toBe(
      'Container "app" variable TOKEN references SSM parameter /prod/token (us-east-1), which does not exist. ' +
        'Create what is missing (aws ssm put-parameter, aws secretsmanager create-secret or put-secret-value with that staging label) or correct the valueFrom: ' +
        'ECS would stop every task of this revision with "ResourceInitializationError: unable to pull secrets or registry auth". Nothing was changed.',
    );
    expect(error.input).toBe('task-definition');
  });

  test('a missing secret fails (ResourceNotFoundException); another error leaves it unchecked', async () => {
    secretsMock.on(DescribeSecretCommand).rejects(notFound());
    const error = await preflightFailure(check(withSecrets('app', [['PASSWORD', `${SECRET}:password::`]])));
    expect(error.message).toMatch(
      /^Container "app" variable PASSWORD references Secrets Manager secret arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/db:password:: \(us-east-1\), which does not exist\. /,
    );
    secretsMock.on(DescribeSecretCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'InternalServiceError' }));
    const report = await preflightOf(check(withSecrets('app', [['PASSWORD', SECRET]])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: `Secrets Manager secret ${SECRET} (us-east-1) of container "app" was not checked: DescribeSecret answered InternalServiceError: Service Unavailable.`,
    });
  });

  test("another account's secret is described by its ARN; refused, the warning says its resource policy must allow the role", async () => {
    const shared = 'arn:aws:secretsmanager:us-east-1:999988887777:secret:shared/key-AbCdEf';
    secretsMock.on(DescribeSecretCommand, { SecretId: shared }).rejects(denied('secretsmanager:DescribeSecret'));
    const report = await preflightOf(check(withSecrets('app', [['KEY', shared]])));
    expect(report.rows[0].message).toContain(
      'the role may not call secretsmanager:DescribeSecret on it (a secret of account 999988887777 can be described only where its resource policy allows this role)',
    );
  });

  test('a version stage or a version id the secret does not have fails, naming the labels it has', async () => {
    const stage = await preflightFailure(check(withSecrets('app', [['PASSWORD', `${FULL}::AWSPENDING:`]])));
    expect(stage.message).toContain('which has no version with staging label AWSPENDING (its labels: AWSCURRENT, AWSPREVIOUS)');
    const id = await preflightFailure(check(withSecrets('app', [['PASSWORD', `${FULL}:::v-9`]])));
    expect(id.message).toContain('which has no version v-9 with a staging label');
    const both = await preflightFailure(check(withSecrets('app', [['PASSWORD', `${FULL}::AWSCURRENT:v-1`]])));
    expect(both.message).toContain('which has version v-1, but not with staging label AWSCURRENT (it has AWSPREVIOUS)');
    const ok = await preflightOf(check(withSecrets('app', [['PASSWORD', `${FULL}::AWSPREVIOUS:v-1`]])));
    expect(ok.rows[0].status).toBe('pass');
  });

  test('a secret scheduled for deletion fails', async () => {
    secretsMock
      .on(DescribeSecretCommand)
      .resolves({ ARN: FULL, VersionIdsToStages: { a: ['AWSCURRENT'] }, DeletedDate: new Date('2026-12-01T00:00:00Z') });
    const error = await preflightFailure(check(withSecrets('app', [['PASSWORD', FULL]])));
    expect(error.message).toContain('which is scheduled for deletion (2026-12-01T00:00:00.000Z), so ECS cannot read it');
  });

  test('a reference in another region is looked up with a client of that region', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/eu/flag' }] });
    await preflightOf(
      check(
        withSecrets('app', [
          ['FLAG', 'arn:aws:ssm:eu-west-1:123456789012:parameter/eu/flag'],
          ['PASSWORD', 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:prod/db-AbCdEf'],
        ]),
      ),
    );
    expect(regions).toEqual(
      expect.arrayContaining([
        ['SSMClient', 'eu-west-1'],
        ['SecretsManagerClient', 'ap-south-1'],
      ]),
    );
    expect(regions).not.toContainEqual(['SSMClient', 'us-east-1']);
  });

  test('log secret options and repository credentials (a Secrets Manager secret, also by name) are checked too', async () => {
    secretsMock.on(DescribeSecretCommand, { SecretId: 'registry/creds' }).rejects(notFound());
    const error = await preflightFailure(
      check({
        name: 'app',
        image: 'registry.example.com/app:1',
        repositoryCredentials: { credentialsParameter: 'registry/creds' },
        logConfiguration: { logDriver: 'splunk', secretOptions: [{ name: 'splunk-token', valueFrom: '/logs/token' }] },
      }),
    );
    expect(error.message).toMatch(
      /^Container "app" log option splunk-token references SSM parameter \/logs\/token \(us-east-1\), which does not exist; /,
    );
    expect(error.message).toContain(
      'Container "app" repositoryCredentials references Secrets Manager secret registry/creds (us-east-1), which does not exist',
    );
  });

  test('AccessDenied is a warning naming ssm:DescribeParameters or secretsmanager:DescribeSecret', async () => {
    ssmMock.on(DescribeParametersCommand).rejects(denied('ssm:DescribeParameters'));
    secretsMock.on(DescribeSecretCommand).rejects(denied('secretsmanager:DescribeSecret'));
    const report = await preflightOf(
      check(
        withSecrets('app', [
          ['DB_URL', '/prod/db-url'],
          ['PASSWORD', FULL],
        ]),
      ),
    );
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message:
        'SSM parameter /prod/db-url (us-east-1) of container "app" was not checked: the role may not call ssm:DescribeParameters; ' +
        `Secrets Manager secret ${FULL} (us-east-1) of container "app" was not checked: the role may not call secretsmanager:DescribeSecret. ` +
        'Grant ssm:DescribeParameters and secretsmanager:DescribeSecret to have them checked.',
    });
  });

  test('a missing secret fails even when another look-up was refused, and says so', async () => {
    ssmMock.on(DescribeParametersCommand).rejects(denied('ssm:DescribeParameters'));
    secretsMock.on(DescribeSecretCommand).rejects(notFound());
    const error = await preflightFailure(
      check(
        withSecrets('app', [
          ['DB_URL', '/prod/db-url'],
          ['PASSWORD', FULL],
        ]),
      ),
    );
    expect(error.message).toMatch(
      /which does not exist; SSM parameter \/prod\/db-url \(us-east-1\) of container "app" was not checked: the role may not call ssm:DescribeParameters\. /,
    );
  });

  test("another account's SSM parameter is a warning: DescribeParameters lists this account's only", async () => {
    const report = await preflightOf(check(withSecrets('app', [['SHARED', 'arn:aws:ssm:us-east-1:999988887777:parameter/shared/flag']])));
    expect(report.rows[0]).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(
        'SSM parameter /shared/flag (us-east-1) of container "app" was not checked: DescribeParameters lists this account\'s parameters only, and this one is in account 999988887777',
      ),
    });
    expect(ssmMock.commandCalls(DescribeParametersCommand)).toHaveLength(0);
  });
});
