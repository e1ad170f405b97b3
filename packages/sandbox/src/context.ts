import type { Arns } from './arns';
import type { Clock } from './clock';
import type { CodeDeployState } from './codedeploy/state';
import type { EcsState } from './ecs/state';
import type { LogStore } from './logs/state';
import type { ParameterStore } from './ssm/state';
import type { ScalableTargets } from './autoscaling/state';
import type { SecretsManagerStore } from './secretsmanager/state';
import type { TaskRuntime } from './runtime/runtime';
import type { RoleStore } from './iam/state';
import type { CodeDeployHookHandler, LambdaHookHandler, PlacementFailure, SandboxEvent } from './types';
import type { EcrState } from './ecr/state';
import type { EcrPublicState } from './ecr-public/state';
import type { AlarmRecord } from './cloudwatch/state';
import type { LoadBalancing } from './elb/load-balancing';
import type { TaskEvents } from './tasks/events';
import type { EventBridgeState } from './events/state';
import type { SchedulerState } from './schedules/state';

/** Everything an operation or the scheduler may touch. One per sandbox; nothing is global. */
export interface Context {
  region: string;
  accountId: string;
  arns: Arns;
  clock: Clock;
  ecs: EcsState;
  /** CodeDeploy's applications, deployment groups and deployments (codedeploy/state). */
  codedeploy: CodeDeployState;
  logs: LogStore;
  /** SSM Parameter Store's parameters (ssm/state) and Secrets Manager's secrets (secretsmanager/state), which tasks' secrets come from. */
  ssm: ParameterStore;
  secretsManager: SecretsManagerStore;
  /** IAM roles and managed policies (iam/state): whether a task's execution role exists, trusts ECS and may read its secrets. */
  iam: RoleStore;
  /** EventBridge's buses, rules and targets (events/state), and EventBridge Scheduler's groups and schedules (schedules/state). */
  events: EventBridgeState;
  schedules: SchedulerState;
  /** Application Auto Scaling's scalable targets (autoscaling/state): who else sets a service's desired count. */
  autoscaling: ScalableTargets;
  runtime: TaskRuntime;
  history: SandboxEvent[];
  /** ELBv2 target groups, their targets and their load balancers (local proxies). */
  elb: LoadBalancing;
  /** CloudWatch metric alarms by name. */
  alarms: Map<string, AlarmRecord>;
  /** ECR's repositories and scan findings; images live in the real registry. */
  ecr: EcrState;
  /** ECR Public's registry alias and repositories; their images live in the same real registry as ECR's. */
  ecrPublic: EcrPublicState;
  /** Where the service scheduler cannot place tasks now (Sandbox.failPlacement; scheduler/placement). */
  placementFailures: PlacementFailure[];
  /** What the task lifecycle reports (running, healthy, unhealthy, stopped); the scheduler subscribes. */
  taskEvents: TaskEvents;
  /** Local handlers standing in for the Lambda functions of lifecycle hooks, by function ARN (Sandbox.registerLambdaHook). */
  lambdaHooks: Map<string, LambdaHookHandler>;
  /** Local handlers standing in for the Lambda functions of CodeDeploy AppSpec hooks (Sandbox.registerCodeDeployHook). */
  codeDeployHooks: Map<string, CodeDeployHookHandler>;
  /** Asks the scheduler for a pass soon, because something changed. */
  kick(): void;
}

export function record(ctx: Context, event: Omit<SandboxEvent, 'at'>): void {
  ctx.history.push({ at: ctx.clock.now(), ...event });
}
