/**
 * An IAM allow-list per run, so that a documented policy can be tested to be enough. Without a policy every call
 * is allowed (the sandbox's behaviour before it had one). With one, a call is allowed when a statement allows its
 * IAM action on its resource and none denies it (IAM User Guide, "Policy evaluation logic": an explicit deny wins,
 * anything not allowed is denied implicitly); otherwise it is answered AccessDeniedException worded as AWS words
 * it. A create call with tags also needs ecs:TagResource; RegisterTaskDefinition (and RunTask's overrides) naming a task role or execution role also needs
 * iam:PassRole on each role (ECS developer guide, "Task IAM role": "the IAM principal ... must have iam:PassRole").
 * Conditions (such as iam:PassedToService) are not evaluated: the sandbox passes roles to ECS only.
 */
import type { Arns } from '../arns';
import { clusterName, lastPart } from '../arns';
import { codeDeployAlsoChecks, codeDeployResource, type CodeDeployLookup } from '../codedeploy/iam-resource';
import { AwsError } from '../errors';
import { globMatches } from '../iam/glob';
import type { ApiCall, IamPolicy, IamStatement } from '../types';

const DEFAULT_ROLE = 'sandbox-deploy-role';
const DEFAULT_SESSION = 'sandbox-session';

/** An assumed role's session as AWS names it; the sandbox's default role and session unless a policy names others. */
export function sessionArn(arns: Pick<Arns, 'partition' | 'accountId'>, role = DEFAULT_ROLE, session = DEFAULT_SESSION): string {
  return `arn:${arns.partition}:sts::${arns.accountId}:assumed-role/${role}/${session}`;
}

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

/** The statements a policy stands for: `allow` is shorthand for one Allow statement on every resource. */
function statementsOf(policy: IamPolicy): IamStatement[] {
  const statements: IamStatement[] = [];
  if (policy.allow?.length) statements.push({ Effect: 'Allow', Action: policy.allow, Resource: '*' });
  const documented = policy.Statement === undefined ? [] : Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return [...statements, ...documented];
}

/** Refuses a policy that would not mean what it says, naming the statement and what to write instead. */
function validate(statements: IamStatement[]): void {
  statements.forEach((statement, index) => {
    const where = `IAM policy statement ${index}`;
    if (typeof statement !== 'object' || statement === null) throw new Error(`${where}: expected an object with Effect and Action`);
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')
      throw new Error(`${where}: Effect must be "Allow" or "Deny", got ${JSON.stringify(statement.Effect)}`);
    const actions = list(statement.Action);
    if (!actions?.length || actions.some((action) => typeof action !== 'string' || !/^(\*|[\w-]+:[\w*?]+)$/.test(action)))
      throw new Error(
        `${where}: Action must be "service:Operation" names (wildcards * and ? allowed), got ${JSON.stringify(statement.Action)}`,
      );
    if (statement.NotAction !== undefined || statement.NotResource !== undefined)
      throw new Error(`${where}: NotAction and NotResource are not modelled by the sandbox; list the actions and resources instead`);
  });
}

/** One permission a call is authorized for: an IAM action on a resource (or, when `or` is given, that other one). */
export interface IamCheck {
  action: string;
  resource: string;
  or?: { action: string; resource: string };
}

/** What a call needs: its own action on its resource, then the permissions its input adds (`also`). */
export interface IamRequest extends IamCheck {
  also: IamCheck[];
}

type Input = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The resource IAM authorizes a call on (Service Authorization Reference, "Actions, resources, and condition keys
 * for Amazon ECS", "... for Amazon ECR"): the one named service, cluster, task definition, task, service deployment or
 * ECR repository, else `*` (the
 * actions that take no resource-level permission, such as RegisterTaskDefinition and the List/Describe calls of other services).
 */
function resourceOf(
  arns: Arns,
  service: ApiCall['service'],
  operation: string,
  input: Input,
  codeDeploy: CodeDeployLookup,
  secretArn: (secretId: string) => string | undefined,
): string {
  if (service === 'codedeploy') return codeDeployResource(arns, operation, input, codeDeploy);
  const firstOf = (value: unknown) => (Array.isArray(value) && value.length === 1 ? text(value[0]) : text(value));
  if (service === 'ssm') return ssmResource(arns, operation, input, firstOf);
  if (service === 'secretsmanager') return secretsManagerResource(arns, input, secretArn);
  // IAM's GetRole takes the role's ARN, SimulatePrincipalPolicy the principal's (Service Authorization Reference,
  // "Actions, resources, and condition keys for AWS Identity and Access Management").
  if (service === 'iam') {
    const role = text(input.RoleName);
    return role ? `arn:aws:iam::${arns.accountId}:role/${role}` : (text(input.PolicySourceArn) ?? '*');
  }
  if (service === 'events') return eventsResource(arns, operation, input);
  if (service === 'logs') return logsResource(arns, operation, input);
  if (service === 'scheduler') return schedulerResource(arns, operation, input);
  // ECR Public's repository actions take the repository's ARN, which has no region (Service Authorization Reference,
  // "Actions, resources, and condition keys for Amazon Elastic Container Registry Public": repository); the
  // registry-wide ones (GetAuthorizationToken, DescribeRegistries) take "*".
  if (service === 'ecr-public') {
    const named = text(input.repositoryName) ?? firstOf(input.repositoryNames);
    return named ? `arn:${arns.partition}:ecr-public::${text(input.registryId) ?? arns.accountId}:repository/${named}` : '*';
  }
  // ECR's actions on a repository (all but GetAuthorizationToken) take its ARN, in the registry the call names.
  const repository = service === 'ecr' ? (text(input.repositoryName) ?? firstOf(input.repositoryNames)) : undefined;
  if (repository) return `arn:${arns.partition}:ecr:${arns.region}:${text(input.registryId) ?? arns.accountId}:repository/${repository}`;
  if (service !== 'ecs') return '*';
  const cluster = clusterName(text(input.cluster));
  const asArn = (value: string | undefined, make: (name: string) => string) =>
    value === undefined ? undefined : value.startsWith('arn:') ? value : make(value);
  if (operation === 'RegisterTaskDefinition' || operation.startsWith('List')) return '*';
  // A batch is judged on each of its resources: the first here, the others by batchChecks.
  const first = (value: unknown) => (Array.isArray(value) ? text(value[0]) : text(value));
  const serviceNamed = first(input.services) ?? text(input.service);
  if (serviceNamed) return asArn(serviceNamed, (name) => arns.service(cluster, lastPart(name))) as string;
  const deployment = first(input.serviceDeploymentArns) ?? text(input.serviceDeploymentArn);
  if (deployment) return deployment;
  const task = first(input.tasks) ?? text(input.task);
  if (task) return asArn(task, (id) => arns.task(cluster, id)) as string;
  const taskDefinition = text(input.taskDefinition);
  if (taskDefinition)
    return asArn(taskDefinition, (name) => {
      const [family, revision] = name.split(':');
      return revision ? arns.taskDefinition(family, Number(revision)) : `${arns.taskDefinition(family, 1).replace(/:1$/, '')}:*`;
    }) as string;
  const clusterNamed = firstOf(input.clusters) ?? text(input.cluster);
  if (clusterNamed) return asArn(clusterNamed, (name) => arns.cluster(name)) as string;
  return '*';
}

/**
 * CloudWatch Logs' GetLogEvents reads one log stream: IAM judges it on the stream's ARN,
 * `log-group:<group>:log-stream:<stream>`, which a policy's `log-group:<group>:*` covers ("Overview of managing access
 * permissions to your CloudWatch Logs resources": the ARN with the trailing `:*` is the one to use in IAM policies).
 * The other calls the sandbox answers (DescribeLogGroups, the writes its own tasks make) take `*` here.
 */
function logsResource(arns: Arns, operation: string, input: Input): string {
  const group = text(input.logGroupName);
  const stream = text(input.logStreamName);
  if (operation !== 'GetLogEvents' || !group || !stream) return '*';
  return `arn:${arns.partition}:logs:${arns.region}:${arns.accountId}:log-group:${group}:log-stream:${stream}`;
}

/**
 * SSM's actions on a parameter take its ARN (Service Authorization Reference, "Actions, resources, and condition keys
 * for AWS Systems Manager": PutParameter and GetParameters on `parameter`); DescribeParameters takes none (`*`).
 * A hierarchical name's ARN drops its leading slash.
 */
function ssmResource(arns: Arns, operation: string, input: Input, firstOf: (value: unknown) => string | undefined): string {
  if (operation === 'DescribeParameters') return '*';
  const name = text(input.Name) ?? firstOf(input.Names);
  if (!name) return '*';
  return name.startsWith('arn:') ? name : `arn:${arns.partition}:ssm:${arns.region}:${arns.accountId}:parameter/${name.replace(/^\//, '')}`;
}

/**
 * Secrets Manager's actions take the secret's ARN (Service Authorization Reference, "Actions, resources, and
 * condition keys for AWS Secrets Manager": CreateSecret, DescribeSecret, GetSecretValue, PutSecretValue and
 * UpdateSecretVersionStage on `Secret`), the complete one with its random suffix when the secret exists. A secret
 * CreateSecret is about to create has no suffix yet: its ARN without one stands for it (*unconfirmed*).
 */
function secretsManagerResource(arns: Arns, input: Input, secretArn: (secretId: string) => string | undefined): string {
  const id = text(input.SecretId) ?? text(input.Name);
  if (!id) return '*';
  return (
    secretArn(id) ?? (id.startsWith('arn:') ? id : `arn:${arns.partition}:secretsmanager:${arns.region}:${arns.accountId}:secret:${id}`)
  );
}

/**
 * EventBridge's actions on a rule take its ARN, `rule/[bus/]name` (Service Authorization Reference, "Actions, resources,
 * and condition keys for Amazon EventBridge": DescribeRule, PutRule, PutTargets, ListTargetsByRule and RemoveTargets on
 * `rule`); CreateEventBus takes the bus's; ListRules and ListRuleNamesByTarget take none here (`*`).
 */
function eventsResource(arns: Arns, operation: string, input: Input): string {
  const base = `arn:aws:events:${arns.region}:${arns.accountId}`;
  const bus = text(input.EventBusName);
  const busName = bus?.startsWith('arn:') ? bus.replace(/^.*:event-bus\//, '') : (bus ?? 'default');
  if (operation === 'CreateEventBus') return `${base}:event-bus/${text(input.Name) ?? '*'}`;
  const rule = text(input.Rule) ?? text(input.Name);
  if (!rule || operation === 'ListRules' || operation === 'ListRuleNamesByTarget') return '*';
  return `${base}:rule/${busName === 'default' ? '' : `${busName}/`}${rule}`;
}

/**
 * EventBridge Scheduler's actions on a schedule take its ARN, `schedule/<group>/<name>`, those on a group the group's
 * (Service Authorization Reference, "Actions, resources, and condition keys for Amazon EventBridge Scheduler"); the
 * List actions take none (`*`).
 */
function schedulerResource(arns: Arns, operation: string, input: Input): string {
  const base = `arn:aws:scheduler:${arns.region}:${arns.accountId}`;
  const name = text(input.Name);
  if (!name || operation.startsWith('List')) return '*';
  if (operation.endsWith('ScheduleGroup')) return `${base}:schedule-group/${name}`;
  return `${base}:schedule/${text(input.GroupName) ?? 'default'}/${name}`;
}

/**
 * The roles a call hands to EventBridge or EventBridge Scheduler to run its targets with: each PutTargets target's
 * RoleArn, a schedule's Target.RoleArn. "To pass a role (and its permissions) to an AWS service, a user must have
 * permissions to pass the role to the service" (IAM user guide); the Scheduler user guide's "Setting up" policy grants
 * iam:PassRole for its execution role.
 */
function targetRoles(service: ApiCall['service'], operation: string, input: Input): string[] {
  if (service === 'events' && operation === 'PutTargets' && Array.isArray(input.Targets))
    return [
      ...new Set((input.Targets as Input[]).map((target) => text(target?.RoleArn)).filter((role): role is string => role !== undefined)),
    ];
  if (service === 'scheduler' && (operation === 'CreateSchedule' || operation === 'UpdateSchedule')) {
    const role = text((input.Target as Input | undefined)?.RoleArn);
    return role ? [role] : [];
  }
  return [];
}

/**
 * The roles a call hands to ECS: a task definition's roles when registering it, RunTask's role overrides, and a
 * service's roles for blue/green deployments (loadBalancers[].advancedConfiguration.roleArn, the infrastructure
 * role ECS changes the listener rules with, and lifecycleHooks[].roleArn, the role it invokes hook functions with).
 * No ECS page names iam:PassRole for the last two; both are roles ECS assumes ("Amazon ECS infrastructure IAM
 * role for load balancers", "Permissions required for Lambda functions in Amazon ECS blue/green deployments":
 * each trusts ecs.amazonaws.com), and "to pass a role (and its permissions) to an AWS service, a user must have
 * permissions to pass the role to the service" (IAM user guide, "Grant a user permissions to pass a role to an
 * AWS service"). That ECS checks them on UpdateService as on CreateService is *unconfirmed*.
 */
function passedRoles(operation: string, input: Input): string[] {
  if (operation === 'CreateService' || operation === 'UpdateService') return serviceRoles(input);
  const source =
    operation === 'RunTask' ? ((input.overrides as Input | undefined) ?? {}) : operation === 'RegisterTaskDefinition' ? input : {};
  return [...new Set([text(source.taskRoleArn), text(source.executionRoleArn)].filter((role): role is string => role !== undefined))];
}

function serviceRoles(input: Input): string[] {
  const list = (value: unknown) => (Array.isArray(value) ? (value as Input[]) : []);
  const advanced = list(input.loadBalancers).map((lb) => text((lb.advancedConfiguration as Input | undefined)?.roleArn));
  const hooks = list((input.deploymentConfiguration as Input | undefined)?.lifecycleHooks).map((hook) => text(hook.roleArn));
  return [...new Set([...advanced, ...hooks].filter((role): role is string => role !== undefined))];
}

/**
 * ECS's batch reads name several resources (DescribeTasks' `tasks`, DescribeServices' `services`,
 * DescribeServiceDeployments' `serviceDeploymentArns`): IAM authorizes the action on each one (Service Authorization
 * Reference: DescribeTasks on `task*`, DescribeServices on `service*`), so a policy scoped to one cluster's tasks does
 * not cover a batch that also names another's. The first resource is the call's own (resourceOf); the others are
 * checked here, with the same action.
 */
function batchChecks(arns: Arns, action: string, input: Input): IamCheck[] {
  const cluster = clusterName(text(input.cluster));
  const named = (value: unknown) => (Array.isArray(value) ? value.map(text).filter((item): item is string => item !== undefined) : []);
  const asArn = (value: string, make: (name: string) => string) => (value.startsWith('arn:') ? value : make(value));
  const services = named(input.services).map((name) => asArn(name, (short) => arns.service(cluster, lastPart(short))));
  const deployments = named(input.serviceDeploymentArns);
  const tasks = named(input.tasks).map((id) => asArn(id, (short) => arns.task(cluster, short)));
  const batch = services.length ? services : deployments.length ? deployments : tasks;
  return batch.slice(1).map((resource) => ({ action, resource }));
}

/**
 * ECS's create actions that take tags: given tags, ECS also authorizes ecs:TagResource ("Grant permission to tag
 * resources on creation", ECS developer guide), on the resource being created (`*` here: it has no ARN yet).
 */
const TAGGING_ON_CREATE = new Set(['RegisterTaskDefinition', 'RunTask', 'StartTask', 'CreateService', 'CreateCluster', 'CreateTaskSet']);

export function iamRequest(
  arns: Arns,
  service: ApiCall['service'],
  iamPrefix: string,
  operation: string,
  input: unknown,
  codeDeploy: CodeDeployLookup = { deployment: () => undefined, groupConfig: () => undefined },
  secretArn: (secretId: string) => string | undefined = () => undefined,
): IamRequest {
  const fields = typeof input === 'object' && input !== null ? (input as Input) : {};
  const also: IamCheck[] = [];
  if (service === 'ecs' && TAGGING_ON_CREATE.has(operation) && Array.isArray(fields.tags) && fields.tags.length > 0)
    also.push({ action: 'ecs:TagResource', resource: '*' });
  if (service === 'ecs') also.push(...batchChecks(arns, `${iamPrefix}:${operation}`, fields));
  // "This API requires the ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken permissions" (ECR Public API
  // reference, GetAuthorizationToken; IAM User Guide, "Service bearer tokens": its Resource is "*").
  if (service === 'ecr-public' && operation === 'GetAuthorizationToken') also.push({ action: 'sts:GetServiceBearerToken', resource: '*' });
  if (service === 'codedeploy') also.push(...codeDeployAlsoChecks(arns, operation, fields, codeDeploy));
  else if (service === 'events' || service === 'scheduler')
    for (const role of targetRoles(service, operation, fields)) also.push({ action: 'iam:PassRole', resource: role });
  else for (const role of passedRoles(operation, fields)) also.push({ action: 'iam:PassRole', resource: role });
  return { action: `${iamPrefix}:${operation}`, resource: resourceOf(arns, service, operation, fields, codeDeploy, secretArn), also };
}

interface Compiled {
  policy: IamPolicy;
  statements: IamStatement[];
}

/**
 * The policies in force and who they belong to: one for every caller, and one per access key (the key a request
 * is signed with, as each role session has its own), so runs with different policies can share a sandbox.
 */
export class IamAuthorizer {
  private fallback: Compiled | undefined;
  private readonly byAccessKey = new Map<string, Compiled>();

  constructor(
    private readonly arns: Arns,
    policy?: IamPolicy,
  ) {
    this.set(policy);
  }

  /** Replaces the policy of `accessKey`'s requests (of every other request without one); undefined removes it. */
  set(policy: IamPolicy | undefined, accessKey?: string): void {
    if (policy !== undefined && (typeof policy !== 'object' || policy === null || Array.isArray(policy)))
      throw new Error('the IAM policy must be an object: { "allow": [...] } or a policy document with a Statement list');
    let compiled: Compiled | undefined;
    if (policy) {
      const statements = statementsOf(policy);
      validate(statements);
      compiled = { policy, statements };
    }
    if (accessKey === undefined) this.fallback = compiled;
    else if (compiled) this.byAccessKey.set(accessKey, compiled);
    else this.byAccessKey.delete(accessKey);
  }

  get(accessKey?: string): IamPolicy | undefined {
    return (accessKey === undefined ? this.fallback : this.byAccessKey.get(accessKey))?.policy;
  }

  private forKey(accessKey: string | undefined): Compiled | undefined {
    return (accessKey !== undefined ? this.byAccessKey.get(accessKey) : undefined) ?? this.fallback;
  }

  /** The caller, as AWS names an assumed role's session in a refusal. */
  principal(accessKey?: string): string {
    const policy = this.forKey(accessKey)?.policy;
    return sessionArn(this.arns, policy?.role, policy?.session);
  }

  /** Whether `action` on `resource` is allowed, 'deny' when a statement denies it explicitly. */
  decide(action: string, resource: string, accessKey?: string): 'allow' | 'implicit' | 'deny' {
    const statements = this.forKey(accessKey)?.statements;
    if (!statements) return 'allow';
    const applies = (statement: IamStatement) =>
      (list(statement.Action) ?? []).some((pattern) => globMatches(pattern, action, true)) &&
      (list(statement.Resource) ?? ['*']).some((pattern) => globMatches(pattern, resource, false));
    const matching = statements.filter(applies);
    if (matching.some((statement) => statement.Effect === 'Deny')) return 'deny';
    return matching.length > 0 ? 'allow' : 'implicit';
  }

  /** The refusal a call gets, if any (the permission it lacks and the error): its own action first, then what it adds. */
  authorize(request: IamRequest, accessKey?: string): (IamCheck & { error: AwsError }) | undefined {
    for (const check of [{ action: request.action, resource: request.resource }, ...request.also]) {
      const decision = this.decide(check.action, check.resource, accessKey);
      if (decision !== 'allow' && check.or && this.decide(check.or.action, check.or.resource, accessKey) === 'allow') continue;
      if (decision !== 'allow') return { ...check, error: accessDenied(this.principal(accessKey), check.action, check.resource, decision) };
    }
    return undefined;
  }
}

/** The access key a request is signed with (SigV4: `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/...`). */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/** The region a request is signed for (SigV4: `Credential=<key>/<date>/<region>/<service>/aws4_request`). */
export function signingRegionOf(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/[0-9]+\/([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/**
 * A request signed for a region the service is not in. Real AWS has no endpoint there (the SDK resolves
 * api.ecr-public.<region>.amazonaws.com, which does not answer), so a request only reaches a stand-in at a custom
 * endpoint; SigV4's refusal of a signature scoped to the wrong region is answered (*unconfirmed* wording).
 */
export const wrongRegion = (region: string) =>
  new AwsError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${region}'.`);

/**
 * AWS's wording (IAM User Guide, "Troubleshoot access denied error messages"): "User: <principal> is not authorized
 * to perform: <action> on resource: <resource> because no identity-based policy allows the <action> action", or
 * "... with an explicit deny in an identity-based policy". Each protocol answers it in its own shape, as it
 * answers a 'refuse' fault (http/faults).
 */
export function accessDenied(principal: string, action: string, resource: string, why: 'implicit' | 'deny'): AwsError {
  const because =
    why === 'deny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  const error = new AwsError(
    'AccessDeniedException',
    `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${because}`,
  );
  // awsQuery services (ELBv2) and awsQuery-compatible ones (CloudWatch) name it AccessDenied.
  error.queryCode = 'AccessDenied';
  return error;
}
