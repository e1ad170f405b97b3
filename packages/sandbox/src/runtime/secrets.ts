/**
 * What the ECS agent does with the secrets a container definition references before the task's containers start
 * ("Pass sensitive data to an Amazon ECS container", developer guide): it fetches every `secrets[].valueFrom`,
 * `logConfiguration.secretOptions[].valueFrom` and `repositoryCredentials.credentialsParameter` from the sandbox's
 * SSM Parameter Store and Secrets Manager, and when one cannot be had the task does not start: it stops with a
 * ResourceInitializationError (developer guide, "Amazon ECS stopped task error messages": "unable to pull secrets
 * or registry auth"). On Fargate this comes before any image is pulled, since registry auth is one of them.
 *
 * `valueFrom` is
 * - a Secrets Manager ARN, complete (`...:secret:name-AbCdEf`) or partial (`...:secret:name`), optionally followed
 *   by `:json-key:version-stage:version-id` (each may be empty), or
 * - an SSM parameter, by name (`/prod/db-url` or `db-url`) or by ARN (`arn:aws:ssm:...:parameter/prod/db-url`);
 * - for repositoryCredentials, a Secrets Manager secret by ARN or name ("if the secret exists in the same Region
 *   as the task ... you can use either the full ARN or the name of the secret", RepositoryCredentials, API reference).
 *
 * The stopped reasons are ECS's as users report them, e.g. "ResourceInitializationError: unable to pull secrets or
 * registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been
 * retried 1 time(s): retrieved secret from Secrets Manager did not contain json key <key>". Those of a missing
 * SSM parameter, a missing version stage or version id, and a missing repository credentials secret are
 * *unconfirmed* in their exact words beyond that prefix.
 */
import type { ParameterStore } from '../ssm/state';
import type { SecretsManagerStore } from '../secretsmanager/state';

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[^:]*:[^:]*:secret:([^:]+)(?::(.*))?$/;
const SSM_ARN = /^arn:aws[a-z-]*:ssm:([^:]*):([^:]*):parameter\/?(.+)$/;

/** The prefix ECS puts before any failure to fetch secrets or registry credentials (stopped task errors). */
const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';
const RETRIED = 'service call has been retried 1 time(s)';

export interface SecretStores {
  ssm: ParameterStore;
  secretsManager: SecretsManagerStore;
  /**
   * Whether the task's execution role may make a fetch (tasks/execution-role): the AccessDeniedException text when
   * not. IAM authorizes a call before it runs, so a refusal comes before any "not found". Absent: every fetch allowed.
   */
  authorize?: (action: string, resource: string) => string | undefined;
}

export class SecretResolutionError extends Error {}

type Json = Record<string, unknown>;

/** The environment variables a container's `secrets` become, or why the task stops (and which container). */
export type ResolvedSecrets = { environments: Map<string, Record<string, string>> } | { reason: string; container: string };

/** Every secret of every container, in container order; the first that cannot be had stops the task. */
export function resolveTaskSecrets(stores: SecretStores, containers: Json[]): ResolvedSecrets {
  const environments = new Map<string, Record<string, string>>();
  for (const container of containers) {
    const name = String(container.name);
    const environment: Record<string, string> = {};
    try {
      for (const secret of (container.secrets as Json[] | undefined) ?? [])
        environment[String(secret.name)] = resolveValueFrom(stores, String(secret.valueFrom));
      const log = container.logConfiguration as { secretOptions?: Json[] } | undefined;
      for (const option of log?.secretOptions ?? []) resolveValueFrom(stores, String(option.valueFrom));
      const credentials = (container.repositoryCredentials as Json | undefined)?.credentialsParameter;
      if (typeof credentials === 'string') resolveSecret(stores, credentials);
    } catch (error) {
      if (error instanceof SecretResolutionError) return { reason: error.message, container: name };
      throw error;
    }
    environments.set(name, environment);
  }
  return { environments };
}

/** The value ECS would put in the environment, or a SecretResolutionError worded as ECS stops the task. */
export function resolveValueFrom(stores: SecretStores, valueFrom: string): string {
  if (SECRETS_MANAGER_ARN.test(valueFrom)) return resolveSecret(stores, valueFrom);
  const denied = stores.authorize?.('ssm:GetParameters', SSM_ARN.test(valueFrom) ? valueFrom : stores.ssm.arnOf(valueFrom));
  if (denied) throw new SecretResolutionError(`${PREFIX}: unable to retrieve secrets from ssm: ${RETRIED}: ${denied}`);
  const parameter = stores.ssm.find(valueFrom);
  if (!parameter)
    throw new SecretResolutionError(`${PREFIX}: unable to retrieve secrets from ssm: ${RETRIED}: invalid parameters: ${valueFrom}`);
  return parameter.value;
}

/** A Secrets Manager secret by ARN (with JSON key and version) or, for repository credentials, by name. */
function resolveSecret(stores: SecretStores, valueFrom: string): string {
  const arn = SECRETS_MANAGER_ARN.exec(valueFrom);
  const [jsonKey, versionStage, versionId] = (arn?.[2] ?? '').split(':');
  const secretId = arn ? valueFrom.slice(0, valueFrom.length - (arn[2] === undefined ? 0 : arn[2].length + 1)) : valueFrom;
  const failed = (why: string) =>
    new SecretResolutionError(
      `${PREFIX}: unable to retrieve secret from asm: ${RETRIED}: failed to fetch secret ${secretId} from secrets manager: ${why}`,
    );
  const found = stores.secretsManager.find(secretId);
  // Authorized on the secret's complete ARN when it exists (a policy on `secret:name-??????` covers it), else as named.
  const denied = stores.authorize?.(
    'secretsmanager:GetSecretValue',
    'secret' in found
      ? found.secret.arn
      : secretId.startsWith('arn:')
        ? secretId
        : `arn:aws:secretsmanager:${stores.ssm.region}:${stores.ssm.accountId}:secret:${secretId}`,
  );
  if (denied) throw failed(denied);
  if ('otherAccount' in found)
    throw failed('AccessDeniedException: the secret belongs to another account whose resource policy grants this one nothing');
  if ('missing' in found) throw failed("ResourceNotFoundException: Secrets Manager can't find the specified secret.");
  const version = stores.secretsManager.version(found.secret, {
    versionId: versionId || undefined,
    versionStage: versionStage || undefined,
  });
  if (!version) {
    const what = versionId ? `VersionId: ${versionId}` : `staging label: ${versionStage || 'AWSCURRENT'}`;
    throw failed(`ResourceNotFoundException: Secrets Manager can't find the specified secret value for ${what}`);
  }
  const value = version.value ?? Buffer.from(version.binary ?? '', 'base64').toString('utf8');
  if (!jsonKey) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const field = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[jsonKey] : undefined;
  if (field === undefined)
    throw new SecretResolutionError(
      `${PREFIX}: unable to retrieve secret from asm: ${RETRIED}: retrieved secret from Secrets Manager did not contain json key ${jsonKey}`,
    );
  return typeof field === 'string' ? field : JSON.stringify(field);
}

/**
 * Sandbox.putSecret: a value under a Secrets Manager ARN (a complete one is kept as the secret's ARN; a partial
 * one gets the random suffix), an SSM parameter ARN, or a plain name, which becomes both a secret's name and a
 * parameter's, so a test need not care which store a task definition names. A new value of an existing secret
 * is its new AWSCURRENT version; of a parameter, its next version.
 */
export function putSecret(stores: SecretStores, nameOrArn: string, value: string, now: number): void {
  const secret = SECRETS_MANAGER_ARN.exec(nameOrArn);
  if (secret) {
    const complete = /-[A-Za-z0-9]{6}$/.test(secret[1]);
    const name = complete ? secret[1].replace(/-[A-Za-z0-9]{6}$/, '') : secret[1];
    const arn = complete ? nameOrArn.replace(/:[^:]*$/, `:${secret[1]}`) : undefined;
    putSecretValue(stores, name, value, now, arn);
    return;
  }
  const parameter = SSM_ARN.exec(nameOrArn);
  if (parameter) {
    const path = parameter[3];
    stores.ssm.put(path.includes('/') ? `/${path}` : path, value, 'SecureString', now);
    return;
  }
  putSecretValue(stores, nameOrArn, value, now);
  stores.ssm.put(nameOrArn, value, 'SecureString', now);
}

function putSecretValue(stores: SecretStores, name: string, value: string, now: number, arn?: string): void {
  const secret = stores.secretsManager.secrets.get(name) ?? stores.secretsManager.create(name, now, arn);
  stores.secretsManager.putVersion(secret, { string: value }, now);
}
