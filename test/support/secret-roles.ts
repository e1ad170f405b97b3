import type { SeedState } from '@ecs-deploy/sandbox';

/**
 * Execution roles for tests whose tasks read secrets. The sandbox's default ecsTaskExecutionRole carries only the
 * AmazonECSTaskExecutionRolePolicy, which reads no secret, and ECS stops a task whose execution role may not read
 * one of its secrets; so a revision with secrets names a role allowed to read them, as a real one must.
 */
export const SECRETS_READER = 'secrets-reader';

/** A seed role that trusts ECS tasks and may call ssm:GetParameters and secretsmanager:GetSecretValue on `resources`. */
export function secretsReaderRole(name = SECRETS_READER, resources: string[] = ['*']): NonNullable<SeedState['roles']>[number] {
  return {
    RoleName: name,
    ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    Policies: [
      {
        PolicyName: 'read-secrets',
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameters', 'secretsmanager:GetSecretValue'], Resource: resources }],
        },
      },
    ],
  };
}

export const roleArn = (sandbox: { accountId: string }, name: string) => `arn:aws:iam::${sandbox.accountId}:role/${name}`;
