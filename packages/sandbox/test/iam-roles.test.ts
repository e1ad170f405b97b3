import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetRoleCommand, IAMClient, NoSuchEntityException, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { start, type Sandbox } from '../src/index';
import { clientConfig } from '../../../test/support/sandbox-harness';

// IAM's roles over awsQuery through the real @aws-sdk/client-iam: GetRole with its URL-encoded trust policy and
// NoSuchEntity, and SimulatePrincipalPolicy over a role's inline and attached policies (wildcards, NotAction, an
// explicit Deny winning, a Condition reported as missing context values rather than guessed).

let sandbox: Sandbox;
const iam = () => new IAMClient(clientConfig(sandbox, 1));
const ACCOUNT = '000000000000';
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

beforeAll(async () => {
  sandbox = await start({
    timeScale: 0.05,
    seed: {
      managedPolicies: [
        {
          PolicyName: 'read-shop-parameters',
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter*', Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/*` }],
          },
        },
      ],
      roles: [
        {
          RoleName: 'shop-execution',
          Path: '/service/',
          ManagedPolicyArns: [
            'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
            `arn:aws:iam::${ACCOUNT}:policy/read-shop-parameters`,
          ],
          Policies: [
            {
              PolicyName: 'secrets',
              PolicyDocument: JSON.stringify({
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'secretsmanager:GetSecretValue',
                    Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shop/*`,
                  },
                  {
                    Effect: 'Deny',
                    Action: 'secretsmanager:GetSecretValue',
                    Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shop/root-*`,
                  },
                  { Effect: 'Deny', NotAction: ['ssm:*', 'secretsmanager:*', 'ecr:*', 'logs:*'], Resource: '*' },
                ],
              }),
            },
          ],
        },
        {
          RoleName: 'conditional',
          Policies: [
            {
              PolicyName: 'kms',
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
});
afterAll(() => sandbox.stop());

describe('GetRole', () => {
  test('answers the role with its trust policy URL-encoded, as IAM does', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }));
    expect(Role).toMatchObject({ RoleName: 'ecsTaskExecutionRole', Path: '/', Arn: arn('ecsTaskExecutionRole'), MaxSessionDuration: 3600 });
    expect(Role?.RoleId).toMatch(/^AROA[0-9A-Z]{17}$/);
    expect(Role?.CreateDate).toBeInstanceOf(Date);
    expect(Role?.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument as string))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  test('a role with a path has it in its ARN', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'shop-execution' }));
    expect(Role?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/service/shop-execution`);
  });

  test('a role that does not exist is NoSuchEntity, HTTP 404', async () => {
    const error = await iam()
      .send(new GetRoleCommand({ RoleName: 'nobody' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error).toMatchObject({ message: 'The role with name nobody cannot be found.', $metadata: { httpStatusCode: 404 } });
  });
});

describe('SimulatePrincipalPolicy', () => {
  const simulate = (role: string, actions: string[], resources?: string[]) =>
    iam().send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: role, ActionNames: actions, ResourceArns: resources }));

  test('the default execution role allows ECR pulls and log writes, and no secret read', async () => {
    const { EvaluationResults } = await simulate(arn('ecsTaskExecutionRole'), [
      'ecr:BatchGetImage',
      'logs:PutLogEvents',
      'ssm:GetParameters',
      'secretsmanager:GetSecretValue',
    ]);
    expect(EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['ecr:BatchGetImage', 'allowed'],
      ['logs:PutLogEvents', 'allowed'],
      ['ssm:GetParameters', 'implicitDeny'],
      ['secretsmanager:GetSecretValue', 'implicitDeny'],
    ]);
    expect(EvaluationResults?.[0].MatchedStatements).toEqual([
      { SourcePolicyId: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', SourcePolicyType: 'aws-managed' },
    ]);
  });

  test('per resource: a wildcard allow, an explicit deny that wins, a resource outside the allow', async () => {
    const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}`;
    const { EvaluationResults } = await simulate(
      arn('service/shop-execution'),
      ['secretsmanager:GetSecretValue'],
      [secret('shop/db-AbCdEf'), secret('shop/root-AbCdEf'), secret('billing/db-AbCdEf')],
    );
    expect(EvaluationResults).toHaveLength(1);
    expect(EvaluationResults?.[0]).toMatchObject({
      EvalActionName: 'secretsmanager:GetSecretValue',
      EvalResourceName: '*',
      EvalDecision: 'explicitDeny',
    });
    expect(EvaluationResults?.[0].ResourceSpecificResults?.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual([
      [secret('shop/db-AbCdEf'), 'allowed'],
      [secret('shop/root-AbCdEf'), 'explicitDeny'],
      [secret('billing/db-AbCdEf'), 'implicitDeny'],
    ]);
  });

  test('an attached customer managed policy, a wildcard action, and NotAction in a Deny', async () => {
    const { EvaluationResults } = await simulate(
      arn('service/shop-execution'),
      ['ssm:GetParameters', 's3:GetObject'],
      [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/db-url`],
    );
    expect(EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ['ssm:GetParameters', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/db-url`, 'allowed'],
      ['s3:GetObject', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/db-url`, 'explicitDeny'],
    ]);
  });

  test('a statement with a Condition is not evaluated: its keys come back as MissingContextValues', async () => {
    const { EvaluationResults } = await simulate(
      arn('conditional'),
      ['ssm:GetParameters'],
      [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/db-url`],
    );
    expect(EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:ResourceTag/team'] });
  });

  test('a PolicySourceArn naming no role is NoSuchEntity', async () => {
    await expect(simulate(arn('nobody'), ['ssm:GetParameters'])).rejects.toBeInstanceOf(NoSuchEntityException);
  });
});
