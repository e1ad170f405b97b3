import type { ClientFactory } from '../../common/aws';
import { errorMessage, isAccessDenied } from '../../common/errors';
import { secretReferences, type SecretReference } from '../../task-definition/secret-references';
import type { RegistrableDefinition } from '../../task-definition/strip';
import { deniedAction } from '../check-errors';
import type { CheckResult, PreflightCheck } from '../check';
import type { SecretAnswer } from '../secrets/lookup';
import { parametersExist } from '../secrets/parameters';
import { describeSecret, versionProblem } from '../secrets/secret';

export interface SecretsExistOptions {
  definition: RegistrableDefinition | (() => Promise<RegistrableDefinition>);
  /** SSM and Secrets Manager clients in each reference's region (its ARN's, else the step's). */
  aws: ClientFactory;
  region: string;
  /** The input the revision comes from, for a missing secret; `task-definition` by default. */
  input?: string;
}

/** One reference, where it is looked up. */
interface Target {
  reference: SecretReference;
  store: 'ssm' | 'secretsmanager';
  region: string;
  /** The SSM parameter's name, or the SecretId DescribeSecret takes. */
  id: string;
  versionStage?: string;
  versionId?: string;
  jsonKey?: string;
  /** The account the reference's ARN names, when it is not the revision's. */
  otherAccount?: string;
}

/**
 * Every secret the revision references exists, before anything changes: its containers' `secrets`, log
 * `secretOptions` and `repositoryCredentials`. ECS fetches them all when a task starts, and one it cannot have
 * stops every task with "ResourceInitializationError: unable to pull secrets or registry auth" (developer guide,
 * "Amazon ECS stopped task error messages"). Metadata only, never a value: SSM parameters by DescribeParameters
 * (50 names a call per region, Name Equals), Secrets Manager secrets by DescribeSecret, whose VersionIdsToStages
 * judges a `version-stage` or `version-id`; a `json-key` is in the value alone, so it is reported as not checked.
 * A reference in another region is looked up there. A look-up the role may not make (AccessDenied, or another
 * account's secret whose resource policy does not let this role describe it) is a warning naming the permission.
 */
export function secretsExistCheck(options: SecretsExistOptions): PreflightCheck<undefined> {
  return {
    id: 'secrets-exist',
    title: 'Secrets exist',
    protects: false,
    permissions: ['ssm:DescribeParameters', 'secretsmanager:DescribeSecret'],
    run: async () => {
      const definition = typeof options.definition === 'function' ? await options.definition() : options.definition;
      const targets = secretReferences(definition).map((reference) => targetOf(reference, options.region, accountOf(definition)));
      if (targets.length === 0) return { status: 'pass', detail: 'no container references a secret' };
      const answers = await lookUp(options.aws, targets);
      return verdict(targets, answers, options.input ?? 'task-definition');
    },
  };
}

/** The revision's own account, from its execution role's ARN, when it has one. */
function accountOf(definition: RegistrableDefinition): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(definition.executionRoleArn ?? '')?.[1];
}

function targetOf(reference: SecretReference, region: string, account: string | undefined): Target {
  const location = reference.location;
  const otherAccount = location.account && account && location.account !== account ? location.account : undefined;
  if (location.store === 'secretsmanager')
    return {
      reference,
      store: 'secretsmanager',
      region: location.region || region,
      id: location.secretId,
      // ECS reads another account's secret by its full ARN where the secret's resource policy lets the execution role.
      ...(otherAccount ? { otherAccount } : {}),
      ...(location.jsonKey ? { jsonKey: location.jsonKey } : {}),
      ...(location.versionStage ? { versionStage: location.versionStage } : {}),
      ...(location.versionId ? { versionId: location.versionId } : {}),
    };
  // Repository credentials are always a Secrets Manager secret: by ARN, or by name in the task's region
  // (RepositoryCredentials.credentialsParameter, ECS API reference).
  if (reference.field === 'repositoryCredentials' && !reference.valueFrom.startsWith('arn:'))
    return { reference, store: 'secretsmanager', region, id: reference.valueFrom };
  return { reference, store: 'ssm', region: location.region || region, id: location.name, ...(otherAccount ? { otherAccount } : {}) };
}

const keyOf = (target: Target) => `${target.store}\n${target.region}\n${target.id}`;

/** Every look-up at once: SSM names batched per region, each Secrets Manager secret once. */
async function lookUp(aws: ClientFactory, targets: Target[]): Promise<Map<string, SecretAnswer>> {
  const answers = new Map<string, SecretAnswer>();
  const byRegion = new Map<string, Set<string>>();
  for (const target of targets)
    if (target.store === 'ssm' && !target.otherAccount)
      byRegion.set(target.region, (byRegion.get(target.region) ?? new Set()).add(target.id));
  const secrets = [...new Map(targets.filter((t) => t.store === 'secretsmanager').map((t) => [keyOf(t), t])).values()];
  await Promise.all([
    ...[...byRegion].map(async ([region, names]) => {
      for (const [name, answer] of await parametersExist(aws, region, [...names]))
        answers.set(
          `ssm\n${region}\n${name}`,
          'error' in answer
            ? { kind: 'unknown', error: answer.error, action: 'ssm:DescribeParameters' }
            : { kind: answer.exists ? 'found' : 'missing' },
        );
    }),
    ...secrets.map(async (target) => answers.set(keyOf(target), await describeSecret(aws, target.region, target.id))),
  ]);
  return answers;
}

/** How a reference reads in a message: what in the container takes the secret, and where the secret is. */
function phrase(target: Target): { user: string; what: string } {
  const { container, field, name, valueFrom } = target.reference;
  const user =
    field === 'secrets'
      ? `Container "${container}" variable ${name}`
      : field === 'logConfiguration.secretOptions'
        ? `Container "${container}" log option ${name}`
        : `Container "${container}" repositoryCredentials`;
  const what =
    target.store === 'ssm' ? `SSM parameter ${target.id} (${target.region})` : `Secrets Manager secret ${valueFrom} (${target.region})`;
  return { user, what };
}

/** The outcome of one reference: what the answer about its secret means for it. */
function judge(target: Target, answer: SecretAnswer | undefined): SecretAnswer {
  if (target.store === 'ssm' && target.otherAccount)
    // ECS reads SSM parameters of the task's own account (developer guide, "Specifying sensitive data": "must be
    // from within the same account"); one shared from another account is not this role's to list.
    return {
      kind: 'unknown',
      error: new Error(`DescribeParameters lists this account's parameters only, and this one is in account ${target.otherAccount}`),
      action: 'ssm:DescribeParameters',
    };
  if (!answer) return { kind: 'unknown', error: new Error('no answer'), action: 'ssm:DescribeParameters' };
  if (answer.kind !== 'found' || !answer.secret) return answer;
  const problem = versionProblem(answer.secret, target);
  return problem ? { kind: 'unusable', why: problem } : answer;
}

function verdict(targets: Target[], answers: Map<string, SecretAnswer>, input: string): CheckResult<undefined> {
  const judged = targets.map((target) => ({ target, answer: judge(target, answers.get(keyOf(target))) }));
  const failures = judged.flatMap(({ target, answer }) => {
    const { user, what } = phrase(target);
    if (answer.kind === 'missing') return [`${user} references ${what}, which does not exist`];
    if (answer.kind === 'unusable') return [`${user} references ${what}, which ${answer.why}`];
    return [];
  });
  const unknown = judged.filter(({ answer }) => answer.kind === 'unknown') as Array<{
    target: Target;
    answer: Extract<SecretAnswer, { kind: 'unknown' }>;
  }>;
  const denied = [
    ...new Set(
      unknown.filter(({ answer }) => isAccessDenied(answer.error)).map(({ answer }) => deniedAction(answer.error) ?? answer.action),
    ),
  ];
  const warnings = unknown.map(({ target, answer }) => {
    const { what } = phrase(target);
    const why = isAccessDenied(answer.error)
      ? `the role may not call ${deniedAction(answer.error) ?? answer.action}${target.store === 'secretsmanager' ? crossAccountNote(target) : ''}`
      : target.store === 'ssm' && target.otherAccount
        ? errorMessage(answer.error)
        : `${answer.action.replace(/^.*:/, '')} answered ${(answer.error as Error).name}: ${errorMessage(answer.error)}`;
    return `${what} of container "${target.reference.container}" was not checked: ${why}`;
  });
  if (failures.length)
    return {
      status: 'fail',
      input,
      detail: `${failures.join('; ')}${warnings.length ? `; ${warnings.join('; ')}` : ''}.`,
      fix:
        'Create what is missing (aws ssm put-parameter, aws secretsmanager create-secret or put-secret-value with that staging label) or correct ' +
        'the valueFrom: ECS would stop every task of this revision with "ResourceInitializationError: unable to pull secrets or registry auth". Nothing was changed.',
    };
  const notChecked = jsonKeysNotChecked(targets);
  if (warnings.length)
    return {
      status: 'warn',
      detail: `${warnings.join('; ')}${notChecked ? `; ${notChecked}` : ''}.`,
      fix: denied.length ? `Grant ${denied.join(' and ')} to have them checked.` : undefined,
    };
  return { status: 'pass', detail: `${found(targets)}${notChecked ? `; ${notChecked}` : ''}` };
}

/** A secret of another account: describing it also needs its resource policy to allow this role. */
function crossAccountNote(target: Target): string {
  return target.otherAccount
    ? ` on it (a secret of account ${target.otherAccount} can be described only where its resource policy allows this role)`
    : '';
}

function found(targets: Target[]): string {
  const parameters = [...new Set(targets.filter((t) => t.store === 'ssm').map((t) => t.id))];
  const secrets = [
    ...new Set(
      targets.filter((t) => t.store === 'secretsmanager').map((t) => t.id.replace(/^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:/, '')),
    ),
  ];
  const parts = [
    parameters.length ? `SSM parameter${parameters.length === 1 ? '' : 's'} ${parameters.join(', ')}` : '',
    secrets.length ? `Secrets Manager secret${secrets.length === 1 ? '' : 's'} ${secrets.join(', ')}` : '',
  ].filter(Boolean);
  return `${parts.join(' and ')} exist${parameters.length + secrets.length === 1 ? 's' : ''}`;
}

/** JSON keys live in the secret's value, which this check never reads. */
function jsonKeysNotChecked(targets: Target[]): string {
  const list = [
    ...new Set(
      targets.filter((t) => t.jsonKey).map((t) => `${t.jsonKey} of ${t.id.replace(/^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:/, '')}`),
    ),
  ];
  if (list.length === 0) return '';
  return `JSON key${list.length === 1 ? '' : 's'} ${list.join(', ')} not checked: only the secret's value holds its keys, and the pre-flight never reads a value`;
}
