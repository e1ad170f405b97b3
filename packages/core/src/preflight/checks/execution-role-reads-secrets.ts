import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import type { ClientFactory } from '../../common/aws';
import { secretReferences, type SecretReference } from '../../task-definition/secret-references';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { CheckResult, PreflightCheck } from '../check';
import { simulatedDecisions, simulationKey, type Simulated } from '../roles/simulation';
import { roleName } from './roles-trust-ecs';

export interface ExecutionRoleReadsSecretsOptions {
  definition: RegistrableDefinition | (() => Promise<RegistrableDefinition>);
  aws: ClientFactory;
  region: string;
  /** The input the revision comes from; `task-definition` by default. */
  input?: string;
}

/** One reference, as IAM authorizes the agent's fetch of it. */
interface Fetch {
  reference: SecretReference;
  action: 'ssm:GetParameters' | 'secretsmanager:GetSecretValue';
  resource: string;
  /** A Secrets Manager ARN without the six random characters: a policy on the complete ARN cannot be matched to it. */
  partial: boolean;
}

const SECRETS_MANAGER_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * The task execution role may read every secret the revision references, before anything is registered: the agent
 * fetches them with that role when a task starts, ssm:GetParameters on an SSM parameter and
 * secretsmanager:GetSecretValue on a Secrets Manager secret ("Required IAM permissions for Amazon ECS secrets",
 * developer guide), and one it may not read stops every task with "ResourceInitializationError: unable to pull
 * secrets or registry auth: ... AccessDeniedException". Asked of IAM's policy simulator (SimulatePrincipalPolicy on
 * the role, one call per action), which judges the role's identity-based policies and never reads a value. An
 * answer the simulator gives with missing context values (a policy condition it could not judge) is reported as
 * not checked, never as allowed or denied; so is a secret named without its ARN's random suffix that is not allowed,
 * and a secret's resource policy and KMS key, which the simulation of the role alone does not see.
 */
export function executionRoleReadsSecretsCheck(options: ExecutionRoleReadsSecretsOptions): PreflightCheck<undefined> {
  return {
    id: 'execution-role-reads-secrets',
    title: 'Execution role may read the secrets',
    protects: false,
    permissions: ['iam:SimulatePrincipalPolicy'],
    run: async () => {
      const definition = typeof options.definition === 'function' ? await options.definition() : options.definition;
      const references = secretReferences(definition);
      if (references.length === 0) return { status: 'pass', detail: 'no container references a secret' };
      const input = options.input ?? 'task-definition';
      const role = definition.executionRoleArn;
      if (!role)
        return {
          status: 'fail',
          input,
          detail: `${references.map(phrase).join('; ')} reference${references.length === 1 ? 's' : ''} a secret, but the revision has no executionRoleArn.`,
          fix:
            'ECS fetches secrets with the task execution role and refuses a task definition with secrets without one: set executionRoleArn to a ' +
            'role that trusts ecs-tasks.amazonaws.com and may call ssm:GetParameters or secretsmanager:GetSecretValue on them. Nothing was changed.',
        };
      const account = /^arn:([^:]+):iam::(\d{12}):role\//.exec(role);
      if (!account)
        return { status: 'warn', detail: `Not checked: executionRoleArn ${role} is not a role ARN, which the policy simulator needs.` };
      const fetches = references.map((reference) => fetchOf(reference, options.region, account[1], account[2]));
      const decisions = await simulate(options.aws(IAMClient, options.region), role, fetches);
      if (decisions === 'no-role')
        return {
          status: 'warn',
          detail: `Not checked: the policy simulator found no role ${role} in this job's account (see "Roles exist and trust ECS").`,
        };
      return verdict(roleName(role), fetches, decisions, input);
    },
  };
}

/** What the agent calls for a reference, on which ARN (an SSM name becomes its parameter's ARN in the role's account). */
function fetchOf(reference: SecretReference, region: string, partition: string, account: string): Fetch {
  const location = reference.location;
  if (location.store === 'secretsmanager')
    return {
      reference,
      action: 'secretsmanager:GetSecretValue',
      resource: location.secretId,
      partial: !SECRETS_MANAGER_SUFFIX.test(location.name),
    };
  // Repository credentials are a Secrets Manager secret, by ARN or by name in the task's region (RepositoryCredentials).
  if (reference.field === 'repositoryCredentials')
    return {
      reference,
      action: 'secretsmanager:GetSecretValue',
      resource: `arn:${partition}:secretsmanager:${region}:${account}:secret:${reference.valueFrom}`,
      partial: !SECRETS_MANAGER_SUFFIX.test(reference.valueFrom),
    };
  const resource = reference.valueFrom.startsWith('arn:')
    ? reference.valueFrom
    : `arn:${partition}:ssm:${location.region || region}:${location.account || account}:parameter/${location.name.replace(/^\//, '')}`;
  return { reference, action: 'ssm:GetParameters', resource, partial: false };
}

/** One SimulatePrincipalPolicy call per action, with every resource of that action; 'no-role' when the role is gone. */
async function simulate(iam: IAMClient, role: string, fetches: Fetch[]): Promise<Map<string, Simulated> | 'no-role'> {
  const byAction = new Map<string, string[]>();
  for (const fetch of fetches) {
    const resources = byAction.get(fetch.action) ?? [];
    if (!resources.includes(fetch.resource)) resources.push(fetch.resource);
    byAction.set(fetch.action, resources);
  }
  try {
    const answers = await Promise.all(
      [...byAction].map(async ([action, resources]) => {
        const answer = await iam.send(
          new SimulatePrincipalPolicyCommand({ PolicySourceArn: role, ActionNames: [action], ResourceArns: resources }),
        );
        return simulatedDecisions(answer.EvaluationResults ?? [], { action, resources });
      }),
    );
    return new Map(answers.flatMap((answer) => [...answer]));
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return 'no-role';
    throw error;
  }
}

function phrase(reference: SecretReference): string {
  const { container, field, name } = reference;
  if (field === 'secrets') return `Container "${container}" variable ${name}`;
  if (field === 'logConfiguration.secretOptions') return `Container "${container}" log option ${name}`;
  return `Container "${container}" repositoryCredentials`;
}

function verdict(role: string, fetches: Fetch[], decisions: Map<string, Simulated>, input: string): CheckResult<undefined> {
  const denied: Array<{ action: string; text: string }> = [];
  const notChecked: string[] = [];
  for (const fetch of fetches) {
    const what = `${phrase(fetch.reference)} (${fetch.action} on ${fetch.resource})`;
    const answer = decisions.get(simulationKey(fetch.action, fetch.resource));
    if (!answer?.decision) notChecked.push(`${what}: the simulator gave no answer for it`);
    else if (answer.decision === 'explicitDeny')
      denied.push({ action: fetch.action, text: `${what}: denied explicitly by a policy of ${role}` });
    else if (answer.missingContextValues.length)
      notChecked.push(
        `${what}: a policy condition on ${answer.missingContextValues.join(', ')} decides, which the simulation cannot judge`,
      );
    else if (answer.decision === 'allowed') continue;
    else if (fetch.partial)
      notChecked.push(`${what}: named without the secret's six-character suffix, so a policy on its complete ARN cannot be matched`);
    else denied.push({ action: fetch.action, text: `${what}: no policy of ${role} allows it` });
  }
  const tail = notChecked.length ? `; not checked: ${notChecked.join('; ')}` : '';
  if (denied.length)
    return {
      status: 'fail',
      input,
      detail: `Execution role ${role} may not read ${denied.length === 1 ? 'a secret' : `${denied.length} secrets`}: ${denied.map((d) => d.text).join('; ')}${tail}.`,
      fix:
        `Allow ${[...new Set(denied.map((d) => d.action))].join(' and ')} on ${denied.length === 1 ? 'it' : 'them'} in a policy of ${role} ` +
        '(or correct the valueFrom): ECS would stop every task of this revision with "ResourceInitializationError: unable to pull secrets or ' +
        'registry auth: ... AccessDeniedException". Nothing was changed.',
    };
  if (notChecked.length) return { status: 'warn', detail: `Not checked: ${notChecked.join('; ')}.` };
  const count = new Set(fetches.map((fetch) => fetch.resource)).size;
  return { status: 'pass', detail: `${role} may read ${count === 1 ? 'the secret' : `all ${count} secrets`} (policy simulation)` };
}
