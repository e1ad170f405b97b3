import { ConfigurationError, errorMessage, isAccessDenied } from '../../common';

/**
 * What another account's registry (input 'registry-id') refused, said as what to change. In another account's
 * registry the caller may do only what the repository's policy grants this account (ECR user guide, "Private
 * repository policies"). No repository policy can grant CreateRepository (the repository does not exist yet); only
 * that account's registry policy can ("Private registry permissions": in the V1 scope only for replication and pull
 * through cache, in the V2 scope for any ECR action), and a registry has none unless its owner set one. So
 * create-repository is still tried there, and its refusal is the usual case, said as what to do instead.
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
      `A repository of another account's registry is made by that account: create "${name}" in account ${registryId} ` +
      `(with that account's own role, or its infrastructure as code) with a repository policy granting this account ` +
      `${CROSS_ACCOUNT_GRANT} (${POLICY_HINT}), and leave create-repository out; or leave out registry-id to use ` +
      `this account's own registry. (create-repository creates there only when account ${registryId}'s registry policy ` +
      `grants this account ecr:CreateRepository.)`,
    'registry-id',
  );
}

/** A read of the repository in the registry of registry-id was refused: its policy does not grant this account. */
export function readRefusedElsewhere(error: unknown, name: string, registryId: string, create: boolean): ConfigurationError {
  const creating = create
    ? ` create-repository does not change this: a repository of another account is made, and opened to this account, by that account.`
    : '';
  return new ConfigurationError(
    `Input 'registry-id': the registry of account ${registryId} refused a read of repository "${name}" (${errorMessage(error)}). ` +
      `To push there, "${name}" must exist in account ${registryId} with a repository policy granting this account ` +
      `${CROSS_ACCOUNT_GRANT} (${POLICY_HINT}), and this job's own IAM policy must allow the same actions on ` +
      `arn:aws:ecr:<region>:${registryId}:repository/${name}.${creating}`,
    'registry-id',
  );
}
