/**
 * The task execution role as the ECS agent uses it to fetch a task's secrets ("Amazon ECS task execution IAM role",
 * developer guide: "Required IAM permissions for Amazon ECS secrets": ssm:GetParameters on the parameters,
 * secretsmanager:GetSecretValue on the secrets). ECS assumes the role for the task, so the role must exist and
 * trust ecs-tasks.amazonaws.com; then each fetch is authorized on the role's own policies (iam/policy-evaluation),
 * and one it may not make stops the task with the AccessDeniedException the call got, worded as IAM words it
 * ("Troubleshoot access denied error messages", IAM User Guide), e.g. as users report it: "ResourceInitializationError:
 * unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm:
 * service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::<account>:assumed-role/<role>/<id>
 * is not authorized to perform: ssm:GetParameters on resource: <arn> because no identity-based policy allows the
 * ssm:GetParameters action status code: 400, request id: <id>". A statement with a Condition is not applied (the
 * sandbox evaluates none), so a role allowed only under conditions is refused here: stricter, never kinder.
 */
import type { Context } from '../context';
import { uuid } from '../ids';
import { evaluate, statementsOf, type PolicyStatement } from '../iam/policy-evaluation';
import type { RoleRecord } from '../iam/state';

/** May the role make this fetch? The AccessDeniedException text when not. */
export type FetchAuthorizer = (action: string, resource: string) => string | undefined;

export type ExecutionRoleAccess = { authorize: FetchAuthorizer } | { refusal: string };

/**
 * ECS reports a role it cannot assume as "ECS was unable to assume the role '<arn>' that was provided for this task.
 * Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user
 * has permissions to pass this role." (as users report the service event "failed to launch a task with (error ...)").
 * The sandbox stops the task with it as its stopped reason, a *simplification* of a launch that fails before a task exists.
 */
export function unableToAssume(roleArn: string): string {
  return (
    `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed ` +
    'has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.'
  );
}

/** Whether a trust policy lets ECS tasks assume the role: an Allow of sts:AssumeRole to ecs-tasks.amazonaws.com, no Deny. */
export function trustsEcsTasks(role: RoleRecord): boolean {
  const toEcsTasks = (statement: PolicyStatement) => {
    const principal = statement.Principal as { Service?: unknown } | string | undefined;
    if (principal === '*') return true;
    const services = typeof principal === 'object' && principal !== null ? principal.Service : undefined;
    return (Array.isArray(services) ? services : [services]).includes('ecs-tasks.amazonaws.com');
  };
  const statements = statementsOf(role.trustPolicy).filter(toEcsTasks);
  const assume = (effect: string) =>
    statements.some(
      (statement) =>
        statement.Effect === effect &&
        evaluate([{ Statement: [{ ...statement, Principal: undefined, Resource: '*' }] }], 'sts:AssumeRole', '*').decision !==
          'implicitDeny',
    );
  return assume('Allow') && !assume('Deny');
}

/** How the agent may fetch with the task's execution role, or why it cannot use it at all. */
export function executionRoleAccess(ctx: Context, executionRoleArn: string | undefined, taskId: string): ExecutionRoleAccess {
  // RegisterTaskDefinition refuses secrets without an execution role (ecs/task-definitions); one registered before
  // that rule reaches here and gets no credentials.
  if (!executionRoleArn) return { refusal: unableToAssume('(none)') };
  const role = ctx.iam.find(executionRoleArn);
  if (!role || !trustsEcsTasks(role)) return { refusal: unableToAssume(executionRoleArn) };
  const documents = ctx.iam.policiesOf(role).map((policy) => policy.document);
  const principal = `arn:aws:sts::${ctx.accountId}:assumed-role/${role.name}/${taskId}`;
  return {
    authorize: (action, resource) => {
      const { decision } = evaluate(documents, action, resource);
      if (decision === 'allowed') return undefined;
      const because =
        decision === 'explicitDeny'
          ? 'with an explicit deny in an identity-based policy'
          : `because no identity-based policy allows the ${action} action`;
      return `AccessDeniedException: User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${because} status code: 400, request id: ${uuid()}`;
    },
  };
}
