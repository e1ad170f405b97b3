import { ConfigurationError, errorMessage, isAccessDenied } from '../../common';

/**
 * What another account's registry (input 'registry-id') refused, said as what to change. In another account's
 * registry the caller may do only what the repository's policy grants this account (ECR user guide, "Private
 * repository policies"), and no repository policy can grant CreateRepository: the repository does not exist yet, and a
 * registry policy grants it only for replication and pull through cache ("Private registry permissions").
 */
export const CROSS_ACCOUNT_GRANT =
  'ecr:DescribeRepositories, ecr:DescribeImages, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload and ecr:PutImage';

const POLICY_HINT = `a minimal one: README, build-push, "IAM permissions"`;

/** Whether ECR refused the call itself (AccessDeniedException), rather than build-push refusing what it found. */
export const refusedByEcr = (error: unknown): boolean => !(error instanceof ConfigurationError) && isAccessDenied(error);

/** CreateRepository in the registry of registry-id was refused: create-repository cannot make it there. */
export function createRefusedElsewhere(error: unknown, name: string, registryId: string): ConfigurationError {
  return new ConfigurationError(
    `Inputs 'registry-id' and 'create-repository': ECR has no repository "${name}" in the registry of account ${registryId}, and ` +
      `create-repository cannot create it there: ECR refused CreateRepository in that registry (${errorMessage(error)}). ` +
      `create-repository creates repositories only in this job's own account. Create "${name}" in account ${registryId} ` +
      `(with that account's own role, or its infrastructure as code) with a repository policy granting this account ` +
      `${CROSS_ACCOUNT_GRANT} (${POLICY_HINT}); or leave out registry-id to use this account's own registry.`,
    'registry-id',
  );
}

/** A read of the repository in the registry of registry-id was refused: its policy does not grant this account. */
export function readRefusedElsewhere(error: unknown, name: string, registryId: string, create: boolean): ConfigurationError {
  const creating = create ? ` create-repository does not apply there: it creates repositories only in this job's own account.` : '';
  return new ConfigurationError(
    `Input 'registry-id': the registry of account ${registryId} refused a read of repository "${name}" (${errorMessage(error)}). ` +
      `To push there, "${name}" must exist in account ${registryId} with a repository policy granting this account ` +
      `${CROSS_ACCOUNT_GRANT} (${POLICY_HINT}), and this job's own IAM policy must allow the same actions on ` +
      `arn:aws:ecr:<region>:${registryId}:repository/${name}.${creating}`,
    'registry-id',
  );
}
