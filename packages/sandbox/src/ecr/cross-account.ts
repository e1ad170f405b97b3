/**
 * What a caller may do in another account's registry. In its own account IAM alone decides (http/iam); in another,
 * the caller's IAM policy must allow the call and that account must grant it too, through the repository's policy
 * (ECR user guide, "Private repository policies"; IAM User Guide, "Cross-account policy evaluation logic").
 *
 * - CreateRepository there is refused: a repository of another account does not exist yet, so no repository policy
 *   can grant it. Only that account's registry policy could ("Private registry permissions": in the V1 scope
 *   ecr:CreateRepository only for the repositories replication and pull through cache create, in the V2 scope, the
 *   default for new registries, any ECR action), and the sandbox gives other accounts no registry policy, as a
 *   registry has none until its owner sets one.
 * - A repository of another account the sandbox holds (seeded: SeedState.otherAccountRepositories) grants exactly
 *   what its policy grants; without a policy, nothing.
 * - A repository standing in for the task runtime's images (other-accounts.ts) is read as one whose policy grants
 *   the sandbox's account pull and describe (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:DescribeImages,
 *   ecr:DescribeRepositories), as the repository of an image a task pulls must for the task to start. Sandbox choice.
 *
 * The refusal's wording is AWS's for a cross-account call no resource policy allows, as users quote it
 * (terraform-provider-aws#35303 for ecr:DescribeRepositories, aws-actions/amazon-ecr-login#232 for a push's
 * ecr:InitiateLayerUpload): "User: <caller> is not authorized to perform: ecr:<Action> on resource:
 * arn:aws:ecr:<region>:<account>:repository/<name> because no resource-based policy allows the ecr:<Action> action".
 * The explicit deny's, "with an explicit deny in a resource-based policy", is the IAM User Guide's
 * ("Troubleshoot access denied error messages"). That CreateRepository is worded the same is *unconfirmed*.
 *
 * Not modelled: the layers and manifests docker pushes go to the real registry behind the sandbox directly (its
 * address is GetAuthorizationToken's proxyEndpoint), so the sandbox never sees a push and cannot refuse one. ECR's
 * registry refuses a push the policy does not grant with `denied: User: <caller> is not authorized to perform:
 * ecr:InitiateLayerUpload on resource: ... because no resource-based policy allows the ecr:InitiateLayerUpload
 * action` (as docker prints it, aws-actions/amazon-ecr-login#232). PutImage, the API's push, is refused here.
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import { sessionArn } from '../http/iam';
import type { Caller } from '../http/protocol';
import { parseRepositoryPolicy, repositoryPolicyDecision } from './repository-policy';
import type { RepositoryRecord } from './state';

export function repositoryArn(ctx: Context, registryId: string, name: string): string {
  return `arn:${ctx.arns.partition}:ecr:${ctx.region}:${registryId}:repository/${name}`;
}

function notAuthorized(caller: Caller, action: string, resource: string, why: 'implicit' | 'deny'): AwsError {
  const because =
    why === 'deny' ? 'with an explicit deny in a resource-based policy' : `because no resource-based policy allows the ${action} action`;
  return new AwsError(
    'AccessDeniedException',
    `User: ${caller.principal} is not authorized to perform: ${action} on resource: ${resource} ${because}`,
  );
}

/** CreateRepository in another account's registry: never granted to the caller. */
export function crossAccountCreateRefused(ctx: Context, caller: Caller | undefined, registryId: string, name: string): AwsError {
  return notAuthorized(callerOf(ctx, caller), 'ecr:CreateRepository', repositoryArn(ctx, registryId, name), 'implicit');
}

/** Listing another account's repositories (DescribeRepositories without names): no repository's policy covers the registry (*unconfirmed*). */
export function crossAccountListRefused(ctx: Context, caller: Caller | undefined, registryId: string): AwsError {
  return notAuthorized(callerOf(ctx, caller), 'ecr:DescribeRepositories', repositoryArn(ctx, registryId, '*'), 'implicit');
}

/** Throws AccessDeniedException unless the repository (of another account than the caller's) grants `operation`. */
export function requireGrant(ctx: Context, caller: Caller | undefined, repository: RepositoryRecord, operation: string): void {
  if (repository.registryId === ctx.accountId) return;
  const action = `ecr:${operation}`;
  const statements = repository.policyText ? parseRepositoryPolicy(repository.policyText) : [];
  const decision = repositoryPolicyDecision(statements, callerOf(ctx, caller).principal, action);
  if (decision !== 'allow') throw notAuthorized(callerOf(ctx, caller), action, repository.repositoryArn, decision);
}

/** Called in-process without a caller (seeds, tests of operations): the sandbox's default session. */
function callerOf(ctx: Context, caller: Caller | undefined): Caller {
  return caller ?? { principal: sessionArn(ctx.arns) };
}
