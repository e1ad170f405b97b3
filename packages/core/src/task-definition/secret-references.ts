import type { ContainerDefinition } from '@aws-sdk/client-ecs';
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
