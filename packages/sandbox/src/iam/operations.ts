/**
 * The IAM operations the suite's pre-flight reads, over awsQuery (IAM API reference, version 2010-05-08): GetRole,
 * whose AssumeRolePolicyDocument is the trust policy URL-encoded ("The policy is URL-encoded compliant with RFC
 * 3986", Role data type), and SimulatePrincipalPolicy, which evaluates a role's identity-based policies on actions
 * and resources (policy-evaluation.ts: statements with a Condition are reported as MissingContextValues, not guessed).
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import { listParam, stringParam, type QueryInput, type XmlValue } from '../query/codec';
import { evaluate, type EvalDecision } from './policy-evaluation';
import type { RoleRecord } from './state';

const notNull = (member: string) =>
  new AwsError(
    'ValidationError',
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);

function roleXml(role: RoleRecord): { [key: string]: XmlValue } {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createDate).toISOString(),
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(role.trustPolicy)),
    Description: role.description,
    MaxSessionDuration: 3600,
    RoleLastUsed: {},
  };
}

const WORST: Record<EvalDecision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };

export const iamOperations = {
  GetRole(ctx: Context, input: QueryInput) {
    const name = stringParam(input.RoleName);
    if (!name) throw notNull('roleName');
    const role = ctx.iam.roles.get(name);
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return { Role: roleXml(role) };
  },

  /**
   * Each action on each resource (`*` when none is given), as EvaluationResults: one per action, its
   * ResourceSpecificResults one per resource, its EvalDecision the strictest of them. Only roles are principals
   * here; a PolicySourceArn naming no role of this account is NoSuchEntity.
   */
  SimulatePrincipalPolicy(ctx: Context, input: QueryInput) {
    const source = stringParam(input.PolicySourceArn);
    if (!source) throw notNull('policySourceArn');
    const actions = listParam(input.ActionNames).filter((name): name is string => typeof name === 'string');
    if (actions.length === 0) throw notNull('actionNames');
    if (!/^arn:aws[a-z-]*:iam::\d{12}:/.test(source)) throw new AwsError('InvalidInput', `ARN ${source} is not valid.`);
    const role = ctx.iam.find(source);
    // *unconfirmed*: IAM's exact wording for a PolicySourceArn that names nothing.
    if (!role) throw noSuchEntity(`The entity ${source} cannot be found.`);
    const resources = listParam(input.ResourceArns).filter((arn): arn is string => typeof arn === 'string');
    const policies = ctx.iam.policiesOf(role);
    const documents = policies.map((policy) => policy.document);
    const judge = (action: string, resource: string) => {
      const { decision, missingContextValues } = evaluate(documents, action, resource);
      const matched = policies
        .filter((policy) => evaluate([policy.document], action, resource).decision === decision && decision !== 'implicitDeny')
        .map((policy) => ({ SourcePolicyId: policy.id, SourcePolicyType: policy.type }));
      return { decision, missingContextValues, matched };
    };
    const EvaluationResults = actions.map((action) => {
      const each = (resources.length ? resources : ['*']).map((resource) => ({ resource, ...judge(action, resource) }));
      const strictest = each.reduce((a, b) => (WORST[b.decision] > WORST[a.decision] ? b : a));
      return {
        EvalActionName: action,
        EvalResourceName: resources.length === 1 ? resources[0] : '*',
        EvalDecision: strictest.decision,
        MatchedStatements: strictest.matched,
        MissingContextValues: [...new Set(each.flatMap((result) => result.missingContextValues))],
        ...(resources.length
          ? {
              ResourceSpecificResults: each.map((result) => ({
                EvalResourceName: result.resource,
                EvalResourceDecision: result.decision,
                MatchedStatements: result.matched,
                MissingContextValues: result.missingContextValues,
              })),
            }
          : {}),
      };
    });
    return { EvaluationResults, IsTruncated: false };
  },
};
