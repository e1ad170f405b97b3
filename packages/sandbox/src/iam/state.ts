/**
 * IAM roles of the sandbox's account: each with its trust policy (who may assume it), its inline policies and the
 * managed policies attached to it, by role name. Every sandbox starts with the two roles the ECS console creates:
 * `ecsTaskExecutionRole`, with the AWS managed AmazonECSTaskExecutionRolePolicy attached (ECR pulls and awslogs
 * writes; no secret reads: "Amazon ECS task execution IAM role", developer guide, which adds ssm:GetParameters or
 * secretsmanager:GetSecretValue as inline policies for secrets), and `ecsTaskRole`, a task role with no permissions.
 */
import { randomBytes } from 'node:crypto';
import type { PolicyDocument } from './policy-evaluation';

export interface RoleRecord {
  name: string;
  path: string;
  arn: string;
  /** `AROA` and 17 characters, as IAM's unique ids of roles look. */
  roleId: string;
  createDate: number;
  description?: string;
  trustPolicy: PolicyDocument;
  inlinePolicies: Map<string, PolicyDocument>;
  attachedPolicyArns: string[];
}

export interface ManagedPolicyRecord {
  arn: string;
  name: string;
  document: PolicyDocument;
}

/** The trust policy of a role ECS tasks assume ("Amazon ECS task execution IAM role", developer guide). */
export const ECS_TASKS_TRUST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** AWS managed policy AmazonECSTaskExecutionRolePolicy, as the developer guide prints it. */
export const ECS_TASK_EXECUTION_ROLE_POLICY: ManagedPolicyRecord = {
  arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
  name: 'AmazonECSTaskExecutionRolePolicy',
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'ecr:GetAuthorizationToken',
          'ecr:BatchCheckLayerAvailability',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchGetImage',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ],
        Resource: '*',
      },
    ],
  },
};

/** What a seed or a test gives to create a role (CreateRole's members, plus its policies). */
export interface RoleInput {
  RoleName: string;
  Path?: string;
  Description?: string;
  /** A policy document, as an object or its JSON text; default: trusts ecs-tasks.amazonaws.com. */
  AssumeRolePolicyDocument?: PolicyDocument | string;
  /** Inline policies (PutRolePolicy): name and document. */
  Policies?: Array<{ PolicyName: string; PolicyDocument: PolicyDocument | string }>;
  /** Managed policies to attach (AttachRolePolicy), AWS's or the seed's own `managedPolicies`. */
  ManagedPolicyArns?: string[];
}

const document = (value: PolicyDocument | string): PolicyDocument =>
  typeof value === 'string' ? (JSON.parse(value) as PolicyDocument) : value;

export class RoleStore {
  readonly roles = new Map<string, RoleRecord>();
  readonly managedPolicies = new Map<string, ManagedPolicyRecord>([[ECS_TASK_EXECUTION_ROLE_POLICY.arn, ECS_TASK_EXECUTION_ROLE_POLICY]]);

  constructor(
    readonly accountId: string,
    now: number,
  ) {
    this.put({ RoleName: 'ecsTaskExecutionRole', ManagedPolicyArns: [ECS_TASK_EXECUTION_ROLE_POLICY.arn] }, now);
    this.put({ RoleName: 'ecsTaskRole', Description: 'A task role with no permissions' }, now);
  }

  roleArn(name: string, path = '/'): string {
    return `arn:aws:iam::${this.accountId}:role${path}${name}`;
  }

  /** Creates or replaces a role. A managed policy it names must exist, as AttachRolePolicy answers NoSuchEntity. */
  put(input: RoleInput, now: number): RoleRecord {
    if (!/^[\w+=,.@-]{1,64}$/.test(input.RoleName ?? ''))
      throw new Error(`role name ${JSON.stringify(input.RoleName)} is not one IAM takes`);
    const path = input.Path ?? '/';
    for (const arn of input.ManagedPolicyArns ?? [])
      if (!this.managedPolicies.has(arn))
        throw new Error(`role ${input.RoleName}: no managed policy ${arn} (add it to managedPolicies first)`);
    const role: RoleRecord = {
      name: input.RoleName,
      path,
      arn: this.roleArn(input.RoleName, path),
      roleId: `AROA${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`,
      createDate: now,
      ...(input.Description ? { description: input.Description } : {}),
      trustPolicy: document(input.AssumeRolePolicyDocument ?? ECS_TASKS_TRUST),
      inlinePolicies: new Map((input.Policies ?? []).map((policy) => [policy.PolicyName, document(policy.PolicyDocument)])),
      attachedPolicyArns: [...(input.ManagedPolicyArns ?? [])],
    };
    this.roles.set(role.name, role);
    return role;
  }

  putManagedPolicy(input: { PolicyName: string; Path?: string; PolicyDocument: PolicyDocument | string }): ManagedPolicyRecord {
    const arn = `arn:aws:iam::${this.accountId}:policy${input.Path ?? '/'}${input.PolicyName}`;
    const policy = { arn, name: input.PolicyName, document: document(input.PolicyDocument) };
    this.managedPolicies.set(arn, policy);
    return policy;
  }

  /** A role of this account by ARN (its path and name must both match) or by name. */
  find(nameOrArn: string): RoleRecord | undefined {
    if (!nameOrArn.startsWith('arn:')) return this.roles.get(nameOrArn);
    const match = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/.exec(nameOrArn);
    if (!match || match[1] !== this.accountId) return undefined;
    const role = this.roles.get(match[3]);
    return role && role.path === match[2] ? role : undefined;
  }

  /** Every permission policy of the role: its inline ones, then its attached managed ones. */
  policiesOf(role: RoleRecord): Array<{ id: string; type: 'role' | 'aws-managed' | 'user-managed'; document: PolicyDocument }> {
    return [
      ...[...role.inlinePolicies].map(([name, document]) => ({ id: name, type: 'role' as const, document })),
      ...role.attachedPolicyArns.map((arn) => ({
        id: arn,
        type: arn.startsWith('arn:aws:iam::aws:') ? ('aws-managed' as const) : ('user-managed' as const),
        document: (this.managedPolicies.get(arn) as ManagedPolicyRecord).document,
      })),
    ];
  }
}
