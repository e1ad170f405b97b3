import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import type { ClientFactory } from '../../common/aws';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { CheckResult, PreflightCheck } from '../check';
import { ECS_TASKS, judgeTrust, parseTrustPolicy } from '../roles/trust-policy';

export interface RolesTrustEcsOptions {
  definition: RegistrableDefinition | (() => Promise<RegistrableDefinition>);
  aws: ClientFactory;
  region: string;
  /** The input the revision comes from; `task-definition` by default. */
  input?: string;
}

/** One role the revision names, and the fields that name it. */
interface NamedRole {
  reference: string;
  name: string;
  fields: Array<'executionRoleArn' | 'taskRoleArn'>;
}

const WORDS = { executionRoleArn: 'Execution role', taskRoleArn: 'Task role' } as const;

/** A role's name from its ARN (`arn:aws:iam::<account>:role/<path>/<name>`), or the name itself. */
export function roleName(reference: string): string {
  return reference.startsWith('arn:') ? reference.slice(reference.lastIndexOf('/') + 1) : reference;
}

function namedRoles(definition: RegistrableDefinition): NamedRole[] {
  const roles = new Map<string, NamedRole>();
  for (const field of ['executionRoleArn', 'taskRoleArn'] as const) {
    const reference = definition[field];
    if (!reference) continue;
    const known = roles.get(reference);
    if (known) known.fields.push(field);
    else roles.set(reference, { reference, name: roleName(reference), fields: [field] });
  }
  return [...roles.values()];
}

const label = (role: NamedRole) =>
  role.fields.length === 2 ? `Execution and task role ${role.name}` : `${WORDS[role.fields[0]]} ${role.name} (${role.fields[0]})`;

/**
 * The revision's task execution role and task role exist and let ECS tasks assume them, before anything is
 * registered: ECS assumes the execution role to pull images, fetch secrets and write logs, and the task role for
 * the containers' credentials, and a role it cannot assume starts no task ("ECS was unable to assume the role ...
 * that was provided for this task", as the service event reads). IAM GetRole by name, in the role's own account
 * (ECS takes roles of the task's account only); its ARN must be the one the revision names, path included.
 */
export function rolesTrustEcsCheck(options: RolesTrustEcsOptions): PreflightCheck<undefined> {
  return {
    id: 'roles-trust-ecs',
    title: 'Roles exist and trust ECS',
    protects: false,
    permissions: ['iam:GetRole'],
    run: async () => {
      const definition = typeof options.definition === 'function' ? await options.definition() : options.definition;
      const roles = namedRoles(definition);
      if (roles.length === 0) return { status: 'pass', detail: 'the revision names no task role or execution role' };
      const iam = options.aws(IAMClient, options.region);
      const found = await Promise.all(roles.map((role) => getRole(iam, role.name)));
      // GetRole looks in the caller's account, which a role found there shows; a role ARN of another account is
      // not looked up there (and one of the same name found here is not it).
      const callerAccount = found.map((role) => accountOf(role?.Arn)).find((account) => account !== undefined);
      const problems = roles.map((role, index) => {
        const account = accountOf(role.reference);
        if (account && callerAccount && account !== callerAccount)
          return {
            notChecked: `${role.name} is a role of account ${account}, and this job's role looks up roles of account ${callerAccount} only`,
          };
        return problemOf(role, found[index]);
      });
      return verdict(roles, problems, options.input ?? 'task-definition');
    },
  };
}

async function getRole(iam: IAMClient, name: string) {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

type Found = Awaited<ReturnType<typeof getRole>>;

const accountOf = (arn: string | undefined) => /^arn:[^:]+:iam::(\d{12}):/.exec(arn ?? '')?.[1];

/** What is wrong with one role, or undefined; conditions of its trust are returned as not checked. */
function problemOf(role: NamedRole, found: Found): { problem?: string; notChecked?: string } {
  if (!found) return { problem: `${label(role)} does not exist` };
  if (role.reference.startsWith('arn:') && found.Arn && found.Arn !== role.reference)
    return { problem: `${label(role)} is ${found.Arn}, not ${role.reference} as the revision names it` };
  let document;
  try {
    document = parseTrustPolicy(found.AssumeRolePolicyDocument ?? '');
  } catch (error) {
    return { notChecked: `the trust policy of ${role.name} did not parse (${(error as Error).message})` };
  }
  const trust = judgeTrust(document);
  if (!trust.trusts) return { problem: `${label(role)} does not trust ${ECS_TASKS}: ${trust.why}` };
  if (trust.conditionKeys.length)
    return { notChecked: `${role.name} trusts ${ECS_TASKS} under conditions on ${trust.conditionKeys.join(', ')}, not checked` };
  return {};
}

function verdict(roles: NamedRole[], results: Array<{ problem?: string; notChecked?: string }>, input: string): CheckResult<undefined> {
  const problems = results.flatMap((result) => (result.problem ? [result.problem] : []));
  const notChecked = results.flatMap((result) => (result.notChecked ? [result.notChecked] : []));
  const tail = notChecked.length ? `; ${notChecked.join('; ')}` : '';
  if (problems.length)
    return {
      status: 'fail',
      input,
      detail: `${problems.join('; ')}${tail}.`,
      fix:
        `Create the role or correct its ARN, and let ${ECS_TASKS} assume it (a trust policy statement allowing sts:AssumeRole to that ` +
        'service principal): ECS would start no task of this revision. Nothing was changed.',
    };
  const names = roles.map((role) => role.name).join(' and ');
  return {
    status: 'pass',
    detail: `${names} exist${roles.length === 1 ? 's' : ''} and trust${roles.length === 1 ? 's' : ''} ${ECS_TASKS}${tail}`,
  };
}
