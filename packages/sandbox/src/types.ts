/** The public shapes of the sandbox: what tests, benchmarks and the CLI program against. */
import type { RegistryOptions, ScanFinding } from './ecr/state';
import type { RateLimits } from './http/rate-limits';

export type { RateLimits };

export type { RegistryOptions, ScanFinding };

export interface SandboxOptions {
  /** Default 0 (ephemeral). The server always binds 127.0.0.1. */
  port?: number;
  /** Default 'us-east-1'. */
  region?: string;
  /** Default '000000000000'. */
  accountId?: string;
  /** Multiplies every ECS interval (scheduler pacing, health-check timings, scripted delays). 1 = real time, 0.1 = ten times faster. */
  timeScale?: number;
  /**
   * 'scaled' (the default): the sandbox's time is the wall clock, its intervals scaled by timeScale. 'manual':
   * time stands still until sandbox.advance(ms) moves it, running every timer that falls due (scheduler passes,
   * scripted tasks' delays, health checks, bake times) in order, so a test that proves something does not happen
   * advances past it instead of sleeping. Scripted tasks only: refused with a catalog.
   */
  clock?: 'scaled' | 'manual';
  faults?: FaultOptions;
  /**
   * The API's throttling, by `service:Operation` (e.g. `ecs:RegisterTaskDefinition`): a token bucket of `burst`
   * calls refilled at `perSecond`, in real time; a call over it is answered ThrottlingException. ECS_RATE_LIMITS is
   * ECS's documented RegisterTaskDefinition bucket (20, 1 a second). Default: none (the suites' fixtures register
   * revisions faster than ECS would let them).
   */
  rateLimits?: RateLimits;
  /**
   * The IAM actions this run may call (an allow-list, or a policy document's statements); anything else is answered
   * AccessDeniedException in AWS's wording. Default: everything is allowed. See IamPolicy.
   */
  iam?: IamPolicy;
  /** The real registry behind the sandbox's ECR: GetAuthorizationToken answers it, image calls read from it. */
  registry?: RegistryOptions;
  /** A seed object, or the path of a JSON file holding one. */
  seed?: SeedState | string;
  /**
   * How to run images as local processes, by image repository (the reference without tag or digest, e.g.
   * `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service`). With a catalog, a task whose images are
   * all catalogued runs as real processes, one per container; a task with an image given to `script()`
   * plays the script; any other image fails to pull, as in ECS. Without one, every task is scripted.
   */
  catalog?: Record<string, CatalogEntry>;
  /**
   * Local handlers standing in for the Lambda functions of AWS_LAMBDA lifecycle hooks, by function ARN (the
   * hook's hookTargetArn); more with Sandbox.registerLambdaHook. A hook whose function has none fails.
   */
  lambdaHooks?: Record<string, LambdaHookHandler>;
  /** Told each time a target group's load balancer starts listening (seeded or created through the API). */
  onLoadBalancer?: (loadBalancer: LoadBalancerInfo) => void;
}

/** A target group's load balancer: the local proxy in front of its healthy targets. */
export interface LoadBalancerInfo {
  targetGroupName: string;
  targetGroupArn: string;
  url: string;
}

/**
 * How an image runs, modelled on a Dockerfile: `entryPoint` and `command` play ENTRYPOINT and CMD (a task
 * definition's `entryPoint` and `command` override them as Docker's do), `cwd` WORKDIR (default: the
 * sandbox's working directory) and `env` ENV. At least one of `entryPoint` and `command` is needed.
 */
export interface CatalogEntry {
  entryPoint?: string[];
  command?: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface FaultOptions {
  /** Probability (0..1) of answering ThrottlingException. */
  throttleRate?: number;
  /** Probability (0..1) of answering a 500-class server error. */
  serverErrorRate?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /** Only these operations (e.g. 'DescribeServices'); default all. */
  operations?: string[];
  /**
   * Answers every call to `operations` (required: without it nothing is refused) with this error instead of
   * running it: AccessDeniedException as for a role without the IAM action, UnsupportedFeatureException as where
   * the feature is not offered. HTTP 400, the AWS JSON error shape (Common Errors, API reference). Throttles,
   * server errors and latency still apply first.
   */
  refuseWith?: 'AccessDeniedException' | 'UnsupportedFeatureException';
  /**
   * Rules, tried after the shorthand above (which stands for rules of its own: ThrottlingException, the service's
   * server error, the refusal, the latency, in that order). See FaultRule.
   */
  rules?: FaultRule[];
  /** Whether a rule with a probability hits a call is drawn from this seed, the rule's index and the call's. Default 0. */
  seed?: number;
}

/**
 * Which calls a fault rule selects, which of those it hits and with what. Selection: every given field must
 * hold. Of the selected calls (counted per rule from 0), the first `after` are spared, then `count` are hit
 * (all without it), each with `probability` (always without it). Latencies of several rules add up; of the
 * other effects, the first rule's that hits answers the call.
 */
export interface FaultRule {
  service?: ApiCall['service'];
  /** One operation or a list (e.g. 'DescribeServices'); default all. */
  operation?: string | string[];
  /** A partial match of the decoded input, e.g. `{ cluster: 'prod' }` (awsQuery: its parameters, e.g. `{ Names: ['web'] }`). */
  match?: Record<string, unknown>;
  probability?: number;
  count?: number;
  after?: number;
  effect: FaultEffect;
}

export type FaultEffect =
  /**
   * An error answer in the service's wire shape. Without `code`: the service's server error (ServerException 500
   * for ECS, ServiceUnavailable 503 for ELBv2, ...); `code: 'ThrottlingException'`: the service's throttle (Throttling
   * in awsQuery); any other code: that code, `status` (default 400) and `message` (default the code).
   */
  | { kind: 'error'; code?: string; status?: number; message?: string }
  /** AccessDeniedException worded as for a role without the IAM action (or UnsupportedFeatureException). */
  | { kind: 'refuse'; code?: 'AccessDeniedException' | 'UnsupportedFeatureException' }
  /** Real time added before the answer: it stands for the network, not for ECS. */
  | { kind: 'latency'; ms: number }
  /**
   * The connection is destroyed without an answer: 'before' the operation runs (nothing changed) or 'after' it ran
   * (the change happened, the client sees a network error and may retry it: what makes idempotency matter).
   */
  | { kind: 'drop'; when: 'before' | 'after' }
  /**
   * Control plane: the call runs, and the next task of `family` (default: the family of the call's
   * `taskDefinition`, else any task) fails to start with `reason` (default a CannotStartContainerError).
   */
  | { kind: 'task-fails-to-start'; family?: string; reason?: string }
  /**
   * Control plane: the call runs, and load balancer targets fail their health checks at once (state unhealthy,
   * `reason` default Target.FailedHealthChecks, "Health checks failed"): every target of `targetGroupArn`, else of
   * the call's own `TargetGroupArn` (DescribeTargetHealth), else those ECS registered for the tasks the call names
   * (`task`, `tasks`) or for the running tasks of the service it names (`service`, `services`, in `cluster`). The
   * health checks go on: a target that passes HealthyThresholdCount of them is healthy again, as in ELB.
   */
  | { kind: 'target-turns-unhealthy'; targetGroupArn?: string; reason?: string; description?: string }
  /**
   * Control plane: the call runs, and the service scheduler cannot place tasks in `cluster` (default: the cluster
   * the call names, else 'default'), as Sandbox.failPlacement does (see PlacementFailure), for `forMs` of sandbox
   * time (default: until the rules are replaced).
   */
  | { kind: 'placement-fails'; cluster?: string; capacityProvider?: string; reason?: string; forMs?: number }
  /**
   * EventBridge PutTargets: the call runs, and the entry of target `targetId` (default: the call's first) is not put
   * but answered in FailedEntries with `code` (default InternalFailure) and `message`, FailedEntryCount counting it:
   * a partial failure, as PutTargets reports one ("This action can partially fail if too many requests are made at
   * the same time", API reference).
   */
  | { kind: 'failed-entry'; targetId?: string; code?: string; message?: string };

/**
 * Who the caller is and what it may do. `allow` lists IAM actions allowed on every resource; `Statement` takes a
 * policy document's statements as written (Effect, Action with wildcards such as `ecs:Describe*`, Resource, as in
 * the README's policies; Conditions are ignored). Both may be given. `role` and `session` name the assumed role in
 * refusals (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
 */
export interface IamPolicy {
  allow?: string[];
  Version?: string;
  Statement?: IamStatement | IamStatement[];
  role?: string;
  session?: string;
}

export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  /** Default `*`. */
  Resource?: string | string[];
  Condition?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

/** A fault applied to a call, on its call log entry: the rule's index, the call's index among that rule's calls, the effect. */
export interface AppliedFault {
  rule: number;
  callIndex: number;
  effect: FaultEffect;
}

export type TaskOutcome =
  | {
      kind: 'healthy';
      startMs?: number;
      /**
       * How long the app takes to answer its container health check after it starts (default: at once). A list
       * gives each task started from the script the next figure, the last one repeating: start-up times vary.
       */
      healthyAfterMs?: number | number[];
    }
  | { kind: 'exit'; exitCode: number; afterMs?: number; logs?: string[]; startMs?: number }
  | { kind: 'unhealthy'; afterMs?: number; startMs?: number }
  | { kind: 'cannot-start'; reason?: string; afterMs?: number }
  | { kind: 'pending-forever' };

export type FaultKind =
  | 'throttle'
  | 'server-error'
  | 'error'
  | 'latency'
  | 'refused'
  | 'dropped-before'
  | 'dropped-after'
  | 'task-fails-to-start'
  | 'target-turns-unhealthy'
  | 'placement-fails'
  | 'failed-entry';

export interface ApiCall {
  service:
    | 'ecs'
    | 'logs'
    | 'elbv2'
    | 'cloudwatch'
    | 'ecr'
    | 'ecr-public'
    | 'codedeploy'
    | 'ssm'
    | 'secretsmanager'
    | 'iam'
    | 'events'
    | 'scheduler'
    | 'application-autoscaling';
  operation: string;
  at: number;
  /** What answered the call, in one word: the first applied fault that is not latency, else 'latency'. */
  fault?: FaultKind;
  /** Every fault rule applied to the call, in rule order. */
  faults?: AppliedFault[];
  /** The access key the request was signed with. */
  accessKeyId?: string;
  /** The IAM action the call needs (`ecs:UpdateService`), whatever the policy in force. */
  iamAction?: string;
  /**
   * The permissions the call's input adds, each an action on a resource: ecs:TagResource for a create call with
   * tags, iam:PassRole on each role a task definition (or RunTask's overrides) hands to ECS, CodeDeploy's dependent
   * actions (codedeploy/iam-resource); `or` is an alternative that is enough instead.
   */
  iamAlso?: Array<{ action: string; resource: string; or?: { action: string; resource: string } }>;
  /** The permission the policy in force refused the call for, as `action on resource`. */
  accessDenied?: string;
}

export type SandboxEventKind =
  | 'deployment-created'
  | 'task-started'
  | 'task-healthy'
  | 'task-stopped'
  | 'steady-state'
  | 'circuit-breaker-tripped'
  | 'rollback-started'
  | 'deployment-failed'
  | 'placement-failed'
  | 'service-deployment-status'
  | 'lifecycle-stage'
  | 'codedeploy-deployment-status'
  | 'codedeploy-target-status'
  | 'codedeploy-lifecycle-event'
  | 'codedeploy-traffic';

export interface SandboxEvent {
  at: number;
  kind: SandboxEventKind;
  cluster?: string;
  serviceName?: string;
  deploymentId?: string;
  /** For 'rollback-started': the deployment ECS created to roll back. */
  rollbackDeploymentId?: string;
  taskArn?: string;
  taskDefinitionArn?: string;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  /** For 'service-deployment-status' and 'lifecycle-stage': the service deployment, and what it changed to. */
  serviceDeploymentArn?: string;
  status?: string;
  lifecycleStage?: string;
  /**
   * The CodeDeploy events carry the deployment id in deploymentId and the new status in status; 'codedeploy-lifecycle-event'
   * names its lifecycle event, 'codedeploy-traffic' the task set that now gets trafficWeight percent of production traffic.
   */
  lifecycleEventName?: string;
  taskSetId?: string;
  trafficWeight?: number;
}

/**
 * Where the service scheduler cannot place tasks (Sandbox.failPlacement). It then starts no task and says why in
 * a service event, once until a task starts again (developer guide, "Amazon ECS service event messages"): for a
 * Fargate launch "was unable to place a task. Reason: Capacity is unavailable at this time. ...", otherwise "was
 * unable to place a task because no container instance met all of its requirements." followed by `reason`.
 * Each task it tried and could not launch counts as a failed task of its deployment (Deployment.failedTasks:
 * "the service scheduler can't launch the task"), so it feeds the circuit breaker, and as a start failure for
 * the service throttle logic, which spaces the next attempts. RunTask is not affected.
 */
export interface PlacementFailure {
  cluster: string;
  /**
   * Only the tasks a service launches through this capacity provider (the first of its
   * capacityProviderStrategy, e.g. 'FARGATE_SPOT'); without it, every task the cluster's services launch.
   */
  capacityProvider?: string;
  /**
   * EC2 only: what ECS adds about the closest matching container instance, e.g. 'The closest matching
   * container-instance 0123456789abcdef0123456789abcdef has insufficient memory available.'
   */
  reason?: string;
}

/**
 * State created before a test starts, through the same code paths as the API. Each entry takes the
 * API's own request shape (CreateCluster, RegisterTaskDefinition, CreateService inputs).
 */
import type { RoleInput } from './iam/state';

export interface SeedState {
  clusters?: Array<string | Record<string, unknown>>;
  taskDefinitions?: Array<Record<string, unknown>>;
  services?: Array<Record<string, unknown>>;
  logGroups?: string[];
  /**
   * CreateTargetGroup inputs (`Name`, `Protocol`, `Port`, `VpcId`, `HealthCheckPath`, ...), plus `Attributes`
   * as ModifyTargetGroupAttributes takes them. A seeded service's `loadBalancers` entry may give
   * `targetGroupName` instead of the generated `targetGroupArn`.
   */
  targetGroups?: Array<Record<string, unknown>>;
  /** PutMetricAlarm inputs; each alarm starts in INSUFFICIENT_DATA, as in CloudWatch. */
  alarms?: Array<Record<string, unknown>>;
  /**
   * Repositories of other accounts' registries (a central registry), as their owner would make them: CreateRepository
   * inputs (`repositoryName`, `imageTagMutability`, ...) plus `registryId`, the owning account, and `policyText`,
   * SetRepositoryPolicy's repository policy (a JSON text or object). Callers of the sandbox's account may call there
   * only what that policy grants them; without one, nothing. CreateRepository naming another account is refused, as in ECR.
   */
  otherAccountRepositories?: Array<Record<string, unknown> & { registryId: string; policyText?: string | Record<string, unknown> }>;
  /** SSM PutParameter inputs (`Name`, `Value`, `Type`). */
  parameters?: Array<Record<string, unknown>>;
  /**
   * Secrets Manager CreateSecret inputs (`Name`, `SecretString`), plus `versions`: PutSecretValue inputs after it
   * (`SecretString`, `VersionStages`, `ClientRequestToken` as the version id). Each secret gets its random ARN suffix.
   */
  secrets?: Array<Record<string, unknown> & { versions?: Array<Record<string, unknown>> }>;
  /**
   * Customer managed policies (`PolicyName`, `Path`, `PolicyDocument`), for roles to attach by ARN
   * (`arn:aws:iam::<account>:policy/<path><name>`). AWS's AmazonECSTaskExecutionRolePolicy is always there.
   */
  managedPolicies?: Array<{ PolicyName: string; Path?: string; PolicyDocument: Record<string, unknown> | string }>;
  /**
   * IAM roles (`RoleName`, `Path`, `AssumeRolePolicyDocument` (default: trusts ecs-tasks.amazonaws.com), inline
   * `Policies` and `ManagedPolicyArns`), beside the ecsTaskExecutionRole and ecsTaskRole every sandbox has. A
   * role of the same name is replaced.
   */
  roles?: RoleInput[];
}

export interface Sandbox {
  endpoint: string;
  region: string;
  accountId: string;
  env(): Record<string, string>;
  script(image: string | RegExp, outcome: TaskOutcome): void;
  /** With clock: 'manual', moves the sandbox's time forward by `ms` and runs what falls due; rejects otherwise. */
  advance(ms: number): Promise<void>;
  /**
   * Stores a value for task definitions' `secrets[].valueFrom` in the sandbox's Secrets Manager and SSM Parameter
   * Store: under a Secrets Manager secret ARN (a complete one becomes the secret's ARN; a partial one gets the random
   * suffix), an SSM parameter ARN, or a plain name that serves as both a secret's and a parameter's name.
   */
  putSecret(nameOrArn: string, value: string): void;
  /** Replaces the fault rules (and restarts their call counts); throws on a rule that cannot apply. */
  setFaults(faults: FaultOptions | undefined): void;
  /** Replaces the API's throttling (see SandboxOptions.rateLimits), every bucket full again; `{}` turns it off. */
  setRateLimits(limits: RateLimits): void;
  /**
   * Replaces the IAM policy in force (undefined: allow everything again). With `accessKey`, the policy of the
   * requests signed with that access key only (AWS_ACCESS_KEY_ID of a run), so runs with different policies share a sandbox.
   */
  setIamPolicy(policy: IamPolicy | undefined, accessKey?: string): void;
  /** Findings the ECR scan of an image (by digest or tag) reports once it completes. */
  setScanFindings(repository: string, reference: string, findings: ScanFinding[]): void;
  seed(state: SeedState): Promise<void>;
  calls: ApiCall[];
  history: SandboxEvent[];
  snapshot(): unknown;
  /**
   * The URL of the target group's load balancer (the one listener of the load balancer the sandbox gives each
   * group): a local HTTP proxy that routes round robin to the group's healthy targets and drains deregistered ones. Throws when no such target group exists.
   */
  loadBalancerUrl(targetGroupArn: string): string;
  /**
   * The URL of a listener (CreateListener): a local HTTP proxy that sends each request by the listener's rules
   * to one of their weighted target groups, and on to that group's healthy targets. Throws when no such listener exists.
   */
  listenerUrl(listenerArn: string): string;
  /** The ARN of a target group by name, for tests and seeds that only know the name. */
  targetGroupArn(name: string): string | undefined;
  /**
   * Makes the cluster (or one of its capacity providers) unable to place the tasks its services launch, until
   * the returned function is called; see PlacementFailure for what ECS then says and counts.
   */
  failPlacement(failure: PlacementFailure): () => void;
  /** Makes `handler` the Lambda function `functionArn` for lifecycle hooks; returns a function that removes it. */
  registerLambdaHook(functionArn: string, handler: LambdaHookHandler): () => void;
  /** Makes `handler` the Lambda function `functionArn` for the hooks of CodeDeploy AppSpecs; returns a function that removes it. */
  registerCodeDeployHook(functionArn: string, handler: CodeDeployHookHandler): () => void;
  stop(): Promise<void>;
}

/** What an AWS_LAMBDA lifecycle hook's function receives (developer guide, "Lifecycle hooks"). */
export interface LambdaHookEvent {
  executionDetails: {
    serviceArn: string;
    targetServiceRevisionArn: string;
    /** Share of test and production traffic in percent, by service revision ARN. */
    testTrafficWeights: Record<string, number>;
    productionTrafficWeights: Record<string, number>;
  };
  /** The hook's hookDetails, or what the previous IN_PROGRESS answer returned. */
  hookDetails?: unknown;
}

/** What it answers: IN_PROGRESS is invoked again after callBackDelay seconds (default 30, sandbox clock). */
export interface LambdaHookResponse {
  hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  callBackDelay?: number;
  hookDetails?: unknown;
}

/** What the Lambda function of a CodeDeploy AppSpec hook receives (CodeDeploy user guide, "AppSpec 'hooks' section"). */
export interface CodeDeployHookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

/**
 * A local stand-in for the Lambda function of an AppSpec hook (Sandbox.registerCodeDeployHook). As in AWS, what
 * it returns is ignored: it answers by calling PutLifecycleEventHookExecutionStatus (through the SDK, against
 * the sandbox) with Succeeded or Failed.
 */
export type CodeDeployHookHandler = (event: CodeDeployHookEvent) => unknown;

/** A local stand-in for the Lambda function of a hook's hookTargetArn (Sandbox.registerLambdaHook). */
export type LambdaHookHandler = (event: LambdaHookEvent) => LambdaHookResponse | Promise<LambdaHookResponse>;
