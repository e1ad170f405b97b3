/**
 * The sandbox's stand-in for Secrets Manager and SSM Parameter Store, as far as the ECS agent uses them:
 * resolving a container definition's `secrets[].valueFrom` into the value of an environment variable
 * ("Pass sensitive data to an Amazon ECS container", developer guide).
 *
 * `valueFrom` is either
 * - a Secrets Manager ARN, complete (`...:secret:name-AbCdEf`) or partial (`...:secret:name`), optionally
 *   followed by `:json-key:version-stage:version-id` (only `json-key` is honoured; the others select a
 *   version, and the store keeps one value per secret), or
 * - an SSM parameter, by name (`/prod/db-url` or `db-url`) or by ARN (`arn:aws:ssm:...:parameter/prod/db-url`).
 */

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[^:]*:[^:]*:secret:(.+)$/;
const SSM_ARN = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter\/?(.+)$/;
/** Secrets Manager appends a hyphen and six random characters to a secret's name in its complete ARN. */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** The prefix ECS puts before any failure to fetch secrets or registry credentials (stopped task errors). */
const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';

export class SecretResolutionError extends Error {}

export class SecretStore {
  /** Secrets Manager secrets by name, and parameters by name without a leading slash. */
  private readonly secrets = new Map<string, string>();
  private readonly parameters = new Map<string, string>();

  /**
   * Stores a value under a Secrets Manager ARN, an SSM parameter ARN, or a plain name. A plain name is both
   * a secret's name and a parameter's name, so tests need not care which service a task definition names.
   */
  put(nameOrArn: string, value: string): void {
    const secret = SECRETS_MANAGER_ARN.exec(nameOrArn);
    if (secret) {
      this.secrets.set(secret[1].split(':')[0], value);
      return;
    }
    const parameter = SSM_ARN.exec(nameOrArn);
    if (parameter) {
      this.parameters.set(parameter[1], value);
      return;
    }
    this.secrets.set(nameOrArn, value);
    this.parameters.set(nameOrArn.replace(/^\//, ''), value);
  }

  /** The value ECS would put in the environment, or a SecretResolutionError worded as ECS stops the task. */
  resolve(valueFrom: string): string {
    const secret = SECRETS_MANAGER_ARN.exec(valueFrom);
    if (secret) return this.resolveSecret(valueFrom, secret[1]);
    const parameter = SSM_ARN.exec(valueFrom)?.[1] ?? valueFrom.replace(/^\//, '');
    const value = this.parameters.get(parameter);
    if (value === undefined) {
      throw new SecretResolutionError(
        `${PREFIX}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: ${valueFrom}`,
      );
    }
    return value;
  }

  private resolveSecret(valueFrom: string, rest: string): string {
    const [id, jsonKey] = rest.split(':');
    const arn = valueFrom.slice(0, valueFrom.length - rest.length) + id;
    const value = this.findSecret(id);
    if (value === undefined) {
      throw new SecretResolutionError(
        `${PREFIX}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${arn} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
      );
    }
    if (!jsonKey) return value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    const field = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[jsonKey] : undefined;
    if (field === undefined) {
      throw new SecretResolutionError(
        `${PREFIX}: unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key ${jsonKey}`,
      );
    }
    return typeof field === 'string' ? field : JSON.stringify(field);
  }

  /** By exact id, else the complete and partial forms of the same name match each other. */
  private findSecret(id: string): string | undefined {
    const exact = this.secrets.get(id);
    if (exact !== undefined) return exact;
    for (const [name, value] of this.secrets) {
      if (name.replace(RANDOM_SUFFIX, '') === id || id.replace(RANDOM_SUFFIX, '') === name) return value;
    }
    return undefined;
  }
}
