/**
 * A private repository's policy (SetRepositoryPolicy's policyText), and whether it grants a caller of another
 * account an action. ECR user guide, "Private repository policies": a repository policy is a resource-based
 * policy "scoped for, and specifically used for, controlling access to individual Amazon ECR repositories"; its
 * "Allow another account" examples name the account as `"Principal": {"AWS": "arn:aws:iam::<account>:root"}` and
 * list the actions it may call (push: ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart,
 * ecr:CompleteLayerUpload, ecr:PutImage; pull: ecr:BatchGetImage, ecr:GetDownloadUrlForLayer).
 *
 * Evaluated as IAM evaluates a resource-based policy (IAM User Guide, "Policy evaluation logic"): an explicit deny
 * wins, an allow grants, anything else is not granted. Principal: `"*"`, `{"AWS": "*"}`, the account ID, the
 * account's root ARN, a role of the account (which grants that role's sessions) or the session's own ARN. Action:
 * exact names and wildcards (`ecr:*`, `ecr:Describe*`), case-insensitively. Conditions, NotAction and
 * NotPrincipal are not evaluated: a policy using them is refused rather than read more kindly than AWS would.
 */
import { globMatches } from '../iam/glob';
import { invalidEcrParameter } from './errors';

type Json = Record<string, unknown>;

export interface RepositoryPolicyStatement {
  Effect: 'Allow' | 'Deny';
  Principal: unknown;
  Action: string | string[];
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * The statements of a policy text, or InvalidParameterException. The wording follows ECR's refusal of a registry
 * policy it cannot take ("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy
 * provided'", quoted on re:Post); the repository policy's own wording is *unconfirmed*.
 */
export function parseRepositoryPolicy(policyText: unknown): RepositoryPolicyStatement[] {
  const invalid = (why: string) =>
    invalidEcrParameter(`Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided' (${why})`);
  if (typeof policyText !== 'string' || policyText === '') throw invalid('policyText must be a JSON policy document');
  let document: Json;
  try {
    document = JSON.parse(policyText) as Json;
  } catch {
    throw invalid('it is not JSON');
  }
  const statements = list(document?.Statement);
  if (statements.length === 0) throw invalid('it has no Statement');
  return statements.map((statement, index) => {
    const where = `statement ${index}`;
    if (typeof statement !== 'object' || statement === null) throw invalid(`${where} is not an object`);
    const { Effect, Principal, Action, Condition, NotAction, NotPrincipal } = statement as Json;
    if (Effect !== 'Allow' && Effect !== 'Deny') throw invalid(`${where}: Effect must be Allow or Deny`);
    if (Principal === undefined) throw invalid(`${where} names no Principal`);
    const actions = list(Action);
    if (actions.length === 0 || actions.some((action) => typeof action !== 'string'))
      throw invalid(`${where}: Action must be one or more action names`);
    if (Condition !== undefined || NotAction !== undefined || NotPrincipal !== undefined)
      throw invalid(`${where}: Condition, NotAction and NotPrincipal are not modelled by the sandbox`);
    return { Effect, Principal, Action: actions as string[] };
  });
}

/** Whether a policy principal names the caller (an STS assumed-role session ARN, as IamAuthorizer names it). */
function namesCaller(principal: unknown, caller: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const [, partition, , , account, resource] = caller.split(':');
  const role = /^assumed-role\/([^/]+)\//.exec(resource ?? '')?.[1];
  return list((principal as Json).AWS).some((named) => {
    if (named === '*' || named === account || named === caller) return true;
    if (named === `arn:${partition}:iam::${account}:root`) return true;
    const roleArn = typeof named === 'string' ? /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(named) : null;
    return roleArn !== null && roleArn[1] === account && roleArn[2] === role;
  });
}

/** 'allow' when a statement grants `action` to the caller and none denies it; 'deny' on an explicit deny. */
export function repositoryPolicyDecision(
  statements: RepositoryPolicyStatement[],
  caller: string,
  action: string,
): 'allow' | 'implicit' | 'deny' {
  const matching = statements.filter(
    (statement) =>
      namesCaller(statement.Principal, caller) && list(statement.Action).some((pattern) => globMatches(String(pattern), action, true)),
  );
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'deny';
  return matching.length > 0 ? 'allow' : 'implicit';
}
