import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ClientFactory } from '../../common/aws';
import type { SecretAnswer, SecretMetadata } from './lookup';

/**
 * DescribeSecret of one secret in its region: metadata and VersionIdsToStages, never the value (GetSecretValue is
 * never called). ResourceNotFoundException means it does not exist; any other error leaves it unchecked.
 */
export async function describeSecret(aws: ClientFactory, region: string, secretId: string): Promise<SecretAnswer> {
  try {
    const described = await aws(SecretsManagerClient, region).send(new DescribeSecretCommand({ SecretId: secretId }));
    const secret: SecretMetadata = {
      arn: described.ARN,
      versionIdsToStages: described.VersionIdsToStages ?? {},
      ...(described.DeletedDate ? { deletedDate: described.DeletedDate } : {}),
    };
    return { kind: 'found', secret };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return { kind: 'missing' };
    return { kind: 'unknown', error, action: 'secretsmanager:DescribeSecret' };
  }
}

/**
 * Whether the secret has the version the reference selects (developer guide, "Pass Secrets Manager secrets through
 * Amazon ECS environment variables": `version-stage` and `version-id`, else AWSCURRENT), and is not scheduled for
 * deletion (GetSecretValue then fails: "You can't perform this operation on the secret because it was marked for deletion").
 */
export function versionProblem(secret: SecretMetadata, select: { versionStage?: string; versionId?: string }): string | undefined {
  if (secret.deletedDate) return `is scheduled for deletion (${secret.deletedDate.toISOString()}), so ECS cannot read it`;
  const versions = secret.versionIdsToStages;
  const labels = [...new Set(Object.values(versions).flat())].sort();
  const has = labels.length ? `its labels: ${labels.join(', ')}` : 'it has no labelled version';
  if (select.versionId) {
    const stages = versions[select.versionId];
    if (!stages) return `has no version ${select.versionId} with a staging label (${has})`;
    if (select.versionStage && !stages.includes(select.versionStage))
      return `has version ${select.versionId}, but not with staging label ${select.versionStage} (it has ${stages.join(', ') || 'none'})`;
    return undefined;
  }
  const stage = select.versionStage ?? 'AWSCURRENT';
  return labels.includes(stage) ? undefined : `has no version with staging label ${stage} (${has})`;
}
