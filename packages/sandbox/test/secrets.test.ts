import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  DescribeParametersCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';
import { container, ecsClient, network, register, waitFor } from './support/harness';

// SSM Parameter Store and Secrets Manager through the real SDK clients over HTTP, and ECS failing a task whose
// container references a secret it cannot fetch, as it does: the task stops before any container starts.

let sandbox: Sandbox;
const ssm = () => new SSMClient(clientConfig(sandbox, 1));
const secrets = () => new SecretsManagerClient(clientConfig(sandbox, 1));
beforeAll(async () => {
  sandbox = await start({
    timeScale: 0.05,
    seed: {
      clusters: ['prod'],
      roles: [
        {
          RoleName: 'secrets-reader',
          Policies: [
            {
              PolicyName: 'read-secrets',
              PolicyDocument: {
                Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameters', 'secretsmanager:GetSecretValue'], Resource: '*' }],
              },
            },
          ],
        },
        {
          RoleName: 'reads-all-but-db',
          Policies: [
            {
              PolicyName: 'read-secrets',
              PolicyDocument: {
                Statement: [
                  { Effect: 'Allow', Action: ['ssm:GetParameters', 'secretsmanager:*'], Resource: '*' },
                  {
                    Effect: 'Deny',
                    Action: 'secretsmanager:GetSecretValue',
                    Resource: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded/db-*',
                  },
                ],
              },
            },
          ],
        },
        {
          RoleName: 'trusts-ec2',
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{ PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
        },
      ],
      parameters: [{ Name: '/seeded/flag', Value: 'on', Type: 'String' }],
      secrets: [
        {
          Name: 'seeded/db',
          SecretString: '{"password":"one"}',
          versions: [{ SecretString: '{"password":"two"}', ClientRequestToken: '00000000-0000-4000-8000-000000000002' }],
        },
      ],
    },
  });
  await ecsClient(sandbox).send(new CreateClusterCommand({ clusterName: 'prod' }));
});
afterAll(() => sandbox.stop());

describe('SSM Parameter Store', () => {
  test('PutParameter creates a parameter; again without Overwrite is ParameterAlreadyExists; with it, version 2', async () => {
    expect(await ssm().send(new PutParameterCommand({ Name: '/shop/db-url', Value: 'postgres://db', Type: 'SecureString' }))).toMatchObject(
      {
        Version: 1,
        Tier: 'Standard',
      },
    );
    await expect(ssm().send(new PutParameterCommand({ Name: '/shop/db-url', Value: 'x', Type: 'SecureString' }))).rejects.toBeInstanceOf(
      ParameterAlreadyExists,
    );
    const again = await ssm().send(new PutParameterCommand({ Name: '/shop/db-url', Value: 'postgres://db2', Overwrite: true }));
    expect(again.Version).toBe(2);
  });

  test('DescribeParameters with a Name Equals filter lists the ones that exist, with metadata and no value', async () => {
    await ssm().send(new PutParameterCommand({ Name: 'api-key', Value: 'k', Type: 'String' }));
    const answer = await ssm().send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/shop/db-url', 'api-key', '/shop/missing', '/seeded/flag'] }],
        MaxResults: 50,
      }),
    );
    expect(answer.Parameters?.map((p) => p.Name)).toEqual(['/seeded/flag', '/shop/db-url', 'api-key']);
    const url = answer.Parameters?.find((p) => p.Name === '/shop/db-url');
    expect(url).toMatchObject({ ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/shop/db-url', Type: 'SecureString', Version: 2 });
    expect(url?.LastModifiedDate).toBeInstanceOf(Date);
    expect(JSON.stringify(answer)).not.toContain('postgres://');
  });

  test('more than 50 values in a filter is a ValidationException; a key other than Name an InvalidFilterKey', async () => {
    const values = Array.from({ length: 51 }, (_, i) => `/p${i}`);
    await expect(
      ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: values }] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('less than or equal to 50') });
    await expect(
      ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Option: 'Equals', Values: ['x'] }] })),
    ).rejects.toMatchObject({ name: 'InvalidFilterKey' });
  });

  test('DescribeParameters pages by MaxResults', async () => {
    const first = await ssm().send(new DescribeParametersCommand({ MaxResults: 2 }));
    expect(first.Parameters).toHaveLength(2);
    const second = await ssm().send(new DescribeParametersCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Parameters?.map((p) => p.Name)).toEqual(['api-key']);
    expect(second.NextToken).toBeUndefined();
  });

  test('GetParameters returns values by name or ARN and names the missing ones', async () => {
    const answer = await ssm().send(
      new GetParametersCommand({
        Names: ['arn:aws:ssm:us-east-1:000000000000:parameter/shop/db-url', 'nope'],
        WithDecryption: true,
      }),
    );
    expect(answer.Parameters?.map((p) => [p.Name, p.Value])).toEqual([['/shop/db-url', 'postgres://db2']]);
    expect(answer.InvalidParameters).toEqual(['nope']);
  });
});

describe('Secrets Manager', () => {
  test('CreateSecret gives the ARN the six-character suffix; DescribeSecret takes the full ARN, the partial ARN and the name', async () => {
    const created = await secrets().send(new CreateSecretCommand({ Name: 'shop/db', SecretString: '{"password":"p1"}' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:shop\/db-[A-Za-z0-9]{6}$/);
    const partial = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/db';
    for (const id of [created.ARN as string, partial, 'shop/db']) {
      const described = await secrets().send(new DescribeSecretCommand({ SecretId: id }));
      expect(described).toMatchObject({
        ARN: created.ARN,
        Name: 'shop/db',
        VersionIdsToStages: { [created.VersionId as string]: ['AWSCURRENT'] },
      });
      expect(JSON.stringify(described)).not.toContain('p1');
    }
    await expect(secrets().send(new CreateSecretCommand({ Name: 'shop/db', SecretString: 'x' }))).rejects.toBeInstanceOf(
      ResourceExistsException,
    );
  });

  test('a missing secret, a name with a suffix, another suffix or another region is ResourceNotFoundException', async () => {
    const created = await secrets().send(new DescribeSecretCommand({ SecretId: 'shop/db' }));
    const wrongSuffix = (created.ARN as string).replace(/-[A-Za-z0-9]{6}$/, '-Zz99Zz');
    for (const id of [
      'shop/none',
      `shop/db${(created.ARN as string).slice(-7)}`,
      wrongSuffix,
      'arn:aws:secretsmanager:eu-west-1:000000000000:secret:shop/db',
    ])
      await expect(secrets().send(new DescribeSecretCommand({ SecretId: id }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    await expect(secrets().send(new DescribeSecretCommand({ SecretId: 'shop/none' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('a secret of another account is AccessDeniedException (its resource policy grants this account nothing)', async () => {
    await expect(
      secrets().send(new DescribeSecretCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/key-AbCdEf' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('secretsmanager:DescribeSecret') });
  });

  test('PutSecretValue moves AWSCURRENT to the new version and AWSPREVIOUS to the old; UpdateSecretVersionStage labels a version', async () => {
    const first = await secrets().send(new CreateSecretCommand({ Name: 'shop/rotated', SecretString: 'v1' }));
    const second = await secrets().send(new PutSecretValueCommand({ SecretId: 'shop/rotated', SecretString: 'v2' }));
    expect(second.VersionStages).toEqual(['AWSCURRENT']);
    let described = await secrets().send(new DescribeSecretCommand({ SecretId: 'shop/rotated' }));
    expect(described.VersionIdsToStages).toEqual({
      [first.VersionId as string]: ['AWSPREVIOUS'],
      [second.VersionId as string]: ['AWSCURRENT'],
    });

    const pending = await secrets().send(
      new PutSecretValueCommand({ SecretId: 'shop/rotated', SecretString: 'v3', VersionStages: ['AWSPENDING'] }),
    );
    await expect(
      secrets().send(
        new UpdateSecretVersionStageCommand({ SecretId: 'shop/rotated', VersionStage: 'AWSCURRENT', MoveToVersionId: pending.VersionId }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await secrets().send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'shop/rotated',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: pending.VersionId,
        RemoveFromVersionId: second.VersionId,
      }),
    );
    described = await secrets().send(new DescribeSecretCommand({ SecretId: 'shop/rotated' }));
    // The first version lost AWSPREVIOUS to the second, so it has no label left and is not listed.
    expect(described.VersionIdsToStages).toEqual({
      [second.VersionId as string]: ['AWSPREVIOUS'],
      [pending.VersionId as string]: ['AWSPENDING', 'AWSCURRENT'],
    });
    const value = await secrets().send(new GetSecretValueCommand({ SecretId: 'shop/rotated', VersionStage: 'AWSPREVIOUS' }));
    expect(value.SecretString).toBe('v2');
    await expect(secrets().send(new GetSecretValueCommand({ SecretId: 'shop/rotated', VersionStage: 'NOPE' }))).rejects.toMatchObject({
      message: "Secrets Manager can't find the specified secret value for staging label: NOPE",
    });
  });

  test('a seeded secret has its versions', async () => {
    const described = await secrets().send(new DescribeSecretCommand({ SecretId: 'seeded/db' }));
    expect(Object.values(described.VersionIdsToStages ?? {})).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
    expect(described.VersionIdsToStages?.['00000000-0000-4000-8000-000000000002']).toEqual(['AWSCURRENT']);
  });
});

describe('ECS fails a task whose secrets cannot be fetched, before any container starts', () => {
  async function runWith(family: string, extra: Parameters<typeof container>[2], role = 'secrets-reader'): Promise<Task> {
    const definition = await register(
      ecsClient(sandbox),
      family,
      [container(family, `123456789012.dkr.ecr.us-east-1.amazonaws.com/${family}:v1`, extra)],
      `arn:aws:iam::000000000000:role/${role}`,
    );
    const run = await ecsClient(sandbox).send(
      new RunTaskCommand({ cluster: 'prod', taskDefinition: definition, launchType: 'FARGATE', networkConfiguration: network }),
    );
    const arn = run.tasks?.[0].taskArn as string;
    return waitFor('the task to stop or run', async () => {
      const [task] = (await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arn] }))).tasks ?? [];
      return task?.lastStatus === 'STOPPED' || task?.lastStatus === 'RUNNING' ? task : undefined;
    });
  }
  const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ';

  test('existing SSM and Secrets Manager references (JSON key, stage) start', async () => {
    const secret = await secrets().send(new DescribeSecretCommand({ SecretId: 'seeded/db' }));
    const task = await runWith('fine', {
      secrets: [
        { name: 'FLAG', valueFrom: '/seeded/flag' },
        { name: 'PASSWORD', valueFrom: `${secret.ARN}:password:AWSPREVIOUS:` },
      ],
    });
    expect(task.lastStatus).toBe('RUNNING');
  });

  test.each([
    [
      'a parameter that does not exist',
      '/seeded/none',
      `${PREFIX}unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /seeded/none`,
    ],
    [
      'a secret that does not exist',
      'arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded/none',
      `${PREFIX}unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded/none from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
    ],
    [
      'a JSON key the value does not hold',
      'arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded/db:user::',
      `${PREFIX}unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key user`,
    ],
    [
      'a version stage the secret does not have',
      'arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded/db::AWSPENDING:',
      expect.stringMatching(
        /ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING$/,
      ),
    ],
  ])("%s: the task stops with TaskFailedToStart and ECS's reason", async (_what, valueFrom, reason) => {
    const task = await runWith(`broken-${Math.random().toString(36).slice(2, 8)}`, { secrets: [{ name: 'VALUE', valueFrom }] });
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: reason });
    expect(task.startedAt).toBeUndefined();
  });

  test('a log configuration secret option and repository credentials are fetched too', async () => {
    const logged = await runWith('logged', {
      logConfiguration: { logDriver: 'splunk', options: {}, secretOptions: [{ name: 'splunk-token', valueFrom: '/seeded/splunk' }] },
    });
    expect(logged.stoppedReason).toMatch(/invalid parameters: \/seeded\/splunk$/);
    const pulled = await runWith('pulled', { repositoryCredentials: { credentialsParameter: 'registry/none' } });
    expect(pulled.stoppedReason).toMatch(
      /^ResourceInitializationError: .*failed to fetch secret registry\/none from secrets manager: ResourceNotFoundException/,
    );
  });
});

describe("ECS fetches secrets with the task's execution role, and stops the task when the role may not", () => {
  const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ';
  async function runWith(role: string, secrets: Array<{ name: string; valueFrom: string }>): Promise<Task> {
    const family = `role-${Math.random().toString(36).slice(2, 8)}`;
    const definition = await register(
      ecsClient(sandbox),
      family,
      [container(family, `123456789012.dkr.ecr.us-east-1.amazonaws.com/${family}:v1`, { secrets })],
      `arn:aws:iam::000000000000:role/${role}`,
    );
    const run = await ecsClient(sandbox).send(
      new RunTaskCommand({ cluster: 'prod', taskDefinition: definition, launchType: 'FARGATE', networkConfiguration: network }),
    );
    const arn = run.tasks?.[0].taskArn as string;
    return waitFor('the task to stop or run', async () => {
      const [task] = (await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arn] }))).tasks ?? [];
      return task?.lastStatus === 'STOPPED' || task?.lastStatus === 'RUNNING' ? task : undefined;
    });
  }
  const taskId = (task: Task) => (task.taskArn as string).split('/').pop() as string;

  test('the default ecsTaskExecutionRole (AmazonECSTaskExecutionRolePolicy) may not read an SSM parameter: AccessDeniedException', async () => {
    const task = await runWith('ecsTaskExecutionRole', [{ name: 'FLAG', valueFrom: '/seeded/flag' }]);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toMatch(
      new RegExp(
        `^${PREFIX}unable to retrieve secrets from ssm: service call has been retried 1 time\\(s\\): AccessDeniedException: User: ` +
          `arn:aws:sts::000000000000:assumed-role/ecsTaskExecutionRole/${taskId(task)} is not authorized to perform: ssm:GetParameters on resource: ` +
          'arn:aws:ssm:us-east-1:000000000000:parameter/seeded/flag because no identity-based policy allows the ssm:GetParameters action ' +
          'status code: 400, request id: [0-9a-f-]{36}$',
      ),
    );
  });

  test('an explicit Deny on the secret wins over an Allow: AccessDeniedException naming the explicit deny', async () => {
    const task = await runWith('reads-all-but-db', [
      { name: 'PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded/db:password::' },
    ]);
    expect(task.stoppedReason).toMatch(
      /unable to retrieve secret from asm: service call has been retried 1 time\(s\): failed to fetch secret arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded\/db from secrets manager: AccessDeniedException: .* is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:seeded\/db-[A-Za-z0-9]{6} with an explicit deny in an identity-based policy /,
    );
  });

  test.each([
    ['does not exist', 'no-such-role'],
    ['does not trust ecs-tasks.amazonaws.com', 'trusts-ec2'],
  ])('an execution role that %s cannot be assumed: the task does not start', async (_what, role) => {
    const task = await runWith(role, [{ name: 'FLAG', valueFrom: '/seeded/flag' }]);
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        `ECS was unable to assume the role 'arn:aws:iam::000000000000:role/${role}' that was provided for this task. Please verify that the role ` +
        'being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.',
    });
    expect(task.startedAt).toBeUndefined();
  });

  test('RegisterTaskDefinition refuses secrets without an execution role', async () => {
    await expect(
      ecsClient(sandbox).send(
        new RegisterTaskDefinitionCommand({
          family: 'no-role',
          containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128, secrets: [{ name: 'FLAG', valueFrom: '/seeded/flag' }] }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
    });
  });
});

describe('IAM authorizes the new operations on their resources', () => {
  test('DescribeSecret by name is authorized on the complete ARN; DescribeParameters on *; PutParameter on the parameter', async () => {
    const key = 'AKIASECRETSIAM';
    const signed = { ...clientConfig(sandbox, 1), credentials: { accessKeyId: key, secretAccessKey: 'x' } };
    sandbox.setIamPolicy(
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:DescribeSecret',
            Resource: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/db-*',
          },
          { Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' },
          { Effect: 'Allow', Action: 'ssm:PutParameter', Resource: 'arn:aws:ssm:us-east-1:000000000000:parameter/team/*' },
        ],
      },
      key,
    );
    try {
      await new SecretsManagerClient(signed).send(new DescribeSecretCommand({ SecretId: 'shop/db' }));
      await expect(new SecretsManagerClient(signed).send(new DescribeSecretCommand({ SecretId: 'shop/rotated' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringMatching(
          /not authorized to perform: secretsmanager:DescribeSecret on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:shop\/rotated-[A-Za-z0-9]{6} /,
        ),
      });
      await new SSMClient(signed).send(new DescribeParametersCommand({}));
      await new SSMClient(signed).send(new PutParameterCommand({ Name: '/team/a', Value: 'a' }));
      await expect(new SSMClient(signed).send(new PutParameterCommand({ Name: '/other/a', Value: 'a' }))).rejects.toMatchObject({
        message: expect.stringContaining('ssm:PutParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/other/a'),
      });
      await expect(new SSMClient(signed).send(new GetParametersCommand({ Names: ['/team/a'] }))).rejects.toMatchObject({
        message: expect.stringContaining('ssm:GetParameters on resource: arn:aws:ssm:us-east-1:000000000000:parameter/team/a'),
      });
    } finally {
      sandbox.setIamPolicy(undefined, key);
    }
  });
});
