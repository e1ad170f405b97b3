import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { REGION_SHAPE } from '../common/regions';
import type { RegistrableDefinition } from './strip';

/**
 * Where a container's secret lives, as ECS reads a `valueFrom` (developer guide, "Pass sensitive data to an Amazon
 * ECS container"): a Secrets Manager ARN, `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>` with
 * optional `:<json-key>:<version-stage>:<version-id>`; an SSM parameter ARN; anything else is the name of an SSM
 * parameter in the task's own account and region. Nothing here reads a value.
 */
export type SecretLocation = SsmParameterLocation | SecretsManagerLocation;

export interface SsmParameterLocation {
  store: 'ssm';
  /** The parameter's name as DescribeParameters filters on it: `/prod/db` or `db`. */
  name: string;
  /** From an ARN; otherwise the task's. */
  region?: string;
  account?: string;
  partition?: string;
}

export interface SecretsManagerLocation {
  store: 'secretsmanager';
  /** The secret's ARN without the JSON key and version suffixes: what DescribeSecret takes as SecretId. */
  secretId: string;
  /** The secret's name as the ARN gives it: with the six random characters Secrets Manager appends, when given. */
  name: string;
  region: string;
  account: string;
  partition: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
}

/** Where in the revision a secret is referenced, for a message that names it. */
export interface SecretReference {
  container: string;
  /** `secrets`, `logConfiguration.secretOptions` or `repositoryCredentials`. */
  field: 'secrets' | 'logConfiguration.secretOptions' | 'repositoryCredentials';
  /** The environment variable or log option the secret becomes; none for repository credentials. */
  name?: string;
  valueFrom: string;
  location: SecretLocation;
}

const ARN = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.*)$/;

/** The location a `valueFrom` names. A malformed ARN of either store is still returned as what it claims to be. */
export function secretLocation(valueFrom: string): SecretLocation {
  const arn = ARN.exec(valueFrom);
  if (arn && arn[2] === 'secretsmanager') {
    const [, partition, , region, account, resource] = arn;
    // secret:<name>[:json-key[:version-stage[:version-id]]]; secret names cannot hold a colon.
    const [, name = '', jsonKey, versionStage, versionId] = resource.split(':');
    return {
      store: 'secretsmanager',
      secretId: `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}`,
      name,
      region,
      account,
      partition,
      ...(jsonKey ? { jsonKey } : {}),
      ...(versionStage ? { versionStage } : {}),
      ...(versionId ? { versionId } : {}),
    };
  }
  if (arn && arn[2] === 'ssm') {
    const [, partition, , region, account, resource] = arn;
    const path = resource.replace(/^parameter\//, '');
    // A hierarchical parameter's ARN drops its leading slash: parameter/prod/db names /prod/db.
    return { store: 'ssm', name: path.includes('/') ? `/${path}` : path, region, account, partition };
  }
  return { store: 'ssm', name: valueFrom };
}

/**
 * What keeps ECS from resolving `valueFrom`, in words a person can fix; undefined when it names a secret as ECS takes
 * one. ECS takes the full ARN of a Secrets Manager secret or of an SSM parameter, or the name of a parameter in the
 * task's Region (API reference, Secret `valueFrom`); a Secrets Manager ARN may end in `:json-key:version-stage:version-id`,
 * any of them empty (developer guide, "Pass Secrets Manager secrets through Amazon ECS environment variables"). Names:
 * an SSM parameter's letters, digits and `_.-/` (Systems Manager user guide, parameter name requirements); a secret's
 * letters, digits and `/_+=.@-` (Secrets Manager API reference, CreateSecret `Name`). Nothing is looked up.
 */
export function secretReferenceProblem(valueFrom: string): string | undefined {
  if (/\s/.test(valueFrom)) return 'it holds a space: give one parameter name or ARN';
  if (!valueFrom.startsWith('arn:')) {
    return SSM_NAME.test(valueFrom) ? undefined : 'it is neither an ARN nor an SSM parameter name (letters, digits and _ . - /)';
  }
  const arn = ARN.exec(valueFrom);
  if (!arn) return `it is not an ARN (arn:partition:service:region:account:resource)`;
  const [, partition, service, region, account, resource] = arn;
  if (service !== 'ssm' && service !== 'secretsmanager') {
    return `it is an ARN of ${service || 'no service'}, neither an SSM parameter (${ssmShape(partition)}) nor a Secrets Manager secret (${secretShape(partition)})`;
  }
  const shape = service === 'ssm' ? ssmShape(partition) : secretShape(partition);
  if (!/^aws(-[a-z]+)*$/.test(partition)) return `its partition "${partition}" is not one (aws, aws-cn, aws-us-gov...): ${shape}`;
  if (!REGION_SHAPE.test(region)) return `its Region "${region}" is not one, such as us-east-1: ${shape}`;
  if (!/^\d{12}$/.test(account)) return `its account "${account}" is not 12 digits: ${shape}`;
  if (service === 'ssm') {
    const path = /^parameter(\/.*)$/.exec(resource)?.[1];
    return path !== undefined && SSM_NAME.test(path.slice(1)) ? undefined : `it is an SSM ARN but not of a parameter: ${shape}`;
  }
  const [kind, name = '', ...suffixes] = resource.split(':');
  if (kind !== 'secret' || !SECRET_NAME.test(name)) return `it is a Secrets Manager ARN but not of a secret: ${shape}`;
  if (suffixes.length > 3) return `it has ${suffixes.length} parts after the secret's name where ECS takes at most three: ${shape}`;
  return undefined;
}

const SSM_NAME = /^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
// The shapes in the ARN's own partition (arn:aws-cn:ssm:... for a China region's), or aws's when that is not one.
const prefix = (partition: string) => `arn:${/^aws(-[a-z]+)*$/.test(partition) ? partition : 'aws'}`;
const ssmShape = (partition: string) => `${prefix(partition)}:ssm:<region>:<account>:parameter/<name>`;
const secretShape = (partition: string) =>
  `${prefix(partition)}:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>]`;

/** Every secret the revision's containers reference, in container order. */
export function secretReferences(definition: Pick<RegistrableDefinition, 'containerDefinitions'>): SecretReference[] {
  return (definition.containerDefinitions ?? []).flatMap((container) => containerReferences(container));
}

function containerReferences(container: ContainerDefinition): SecretReference[] {
  const name = container.name ?? '(unnamed)';
  const of = (field: SecretReference['field'], valueFrom: string, variable?: string): SecretReference => ({
    container: name,
    field,
    ...(variable !== undefined ? { name: variable } : {}),
    valueFrom,
    location: secretLocation(valueFrom),
  });
  return [
    ...(container.secrets ?? [])
      .filter((secret) => secret.valueFrom)
      .map((secret) => of('secrets', secret.valueFrom as string, secret.name)),
    ...(container.logConfiguration?.secretOptions ?? [])
      .filter((secret) => secret.valueFrom)
      .map((secret) => of('logConfiguration.secretOptions', secret.valueFrom as string, secret.name)),
    ...(container.repositoryCredentials?.credentialsParameter
      ? [of('repositoryCredentials', container.repositoryCredentials.credentialsParameter)]
      : []),
  ];
}
