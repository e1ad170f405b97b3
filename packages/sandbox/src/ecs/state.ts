/**
 * ECS's state as plain records (no functions, no timers) so that a snapshot is a deep copy. Times are
 * epoch milliseconds here and become epoch seconds on the wire.
 */

export type Json = Record<string, unknown>;
export interface Tag {
  key: string;
  value?: string;
}

export interface ClusterRecord {
  arn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  settings: Json[];
  configuration?: Json;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: Json[];
}

export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  /** The registered definition as ECS returns it, without the fields computed at render time. */
  body: Json;
  registeredAt: number;
  deregisteredAt?: number;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  launchType?: string;
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: Json;
  capacityProviderStrategy?: Json[];
  rolloutState: RolloutState;
  rolloutStateReason: string;
  serviceDeploymentArn: string;
  serviceRevisionArn: string;
  /** The deployment this one rolls back to, when the circuit breaker started it. */
  rollbackOf?: string;
  /**
   * Where this deployment's tasks register, when not in the service's own target groups: a blue/green
   * deployment's green tasks go to the group that does not serve production (scheduler/traffic).
   */
  loadBalancers?: Json[];
}

export interface ServiceEventRecord {
  id: string;
  createdAt: number;
  message: string;
}

export type ThresholdType = 'COUNT' | 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT';

/** DeploymentCircuitBreaker (API reference); the optional members are echoed only when they were given. */
export interface CircuitBreakerRecord {
  enable: boolean;
  rollback: boolean;
  resetOnHealthyTask?: boolean;
  thresholdConfiguration?: { type: ThresholdType; value: number };
}

/** DeploymentAlarms (API reference). */
export interface DeploymentAlarmsRecord {
  alarmNames: string[];
  enable: boolean;
  rollback: boolean;
}

export interface DeploymentConfigurationRecord {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: CircuitBreakerRecord;
  alarms?: DeploymentAlarmsRecord;
  strategy?: string;
  bakeTimeInMinutes?: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  lifecycleHooks?: LifecycleHookRecord[];
}

/** DeploymentLifecycleHook (API reference), with its defaults filled in. */
export interface LifecycleHookRecord {
  targetType: string;
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: string[];
  hookDetails?: unknown;
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: string };
}

/** One hook run at a lifecycle stage (ServiceDeploymentLifecycleHookDetail, API reference, and what the sandbox needs). */
export interface HookRunRecord {
  hookId: string;
  targetType: string;
  hookTargetArn?: string;
  stage: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  startedAt: number;
  expiresAt: number;
  timeoutAction: string;
  /** Which hook of deploymentConfiguration.lifecycleHooks this runs. */
  index: number;
  /** Lambda hooks: when to invoke again (IN_PROGRESS with callBackDelay), and the hookDetails the last answer gave. */
  nextInvokeAt?: number;
  hookDetails?: unknown;
  /** Set while a Lambda invocation has not answered yet. */
  invoking?: boolean;
}

/** The traffic a blue/green service deployment moves, for one of the service's load balancers. */
export interface TrafficPairRecord {
  /** The group serving production when the deployment started, and the one its new tasks register in. */
  blue: string;
  green: string;
  productionListenerRule: string;
  testListenerRule?: string;
}

/**
 * A task set of a service under the CODE_DEPLOY (or EXTERNAL) deployment controller (TaskSet, API reference): the
 * tasks of one revision, scaled as a percentage of the service's desired count, in its own target groups.
 */
export interface TaskSetRecord {
  /** `ecs-svc/` and 19 digits, like a deployment id; the tasks' deploymentId and startedBy. */
  id: string;
  arn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  taskDefinitionArn: string;
  /** Who created it: `CodeDeploy` for a replacement task set; absent for the one CreateService makes. */
  startedBy?: string;
  /** The CodeDeploy deployment that created it. */
  externalId?: string;
  /** TaskSet.scale.value, in percent of the service's desiredCount. */
  scalePercent: number;
  computedDesiredCount: number;
  launchType?: string;
  platformVersion?: string;
  platformFamily?: string;
  capacityProviderStrategy?: Json[];
  networkConfiguration?: Json;
  loadBalancers: Json[];
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING';
  stabilityStatusAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface ServiceRecord {
  arn: string;
  name: string;
  clusterArn: string;
  cluster: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn?: string;
  launchType?: string;
  platformVersion?: string;
  platformFamily?: string;
  capacityProviderStrategy?: Json[];
  networkConfiguration?: Json;
  loadBalancers: Json[];
  serviceRegistries: Json[];
  deploymentConfiguration: DeploymentConfigurationRecord;
  deploymentController: { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' };
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  healthCheckGracePeriodSeconds?: number;
  placementConstraints: Json[];
  placementStrategy: Json[];
  enableECSManagedTags: boolean;
  propagateTags: string;
  enableExecuteCommand: boolean;
  createdAt: number;
  createdBy: string;
  deployments: DeploymentRecord[];
  /** CODE_DEPLOY services: their task sets (ecs/task-sets), PRIMARY first. */
  taskSets: TaskSetRecord[];
  /** Newest first, at most 100, as ECS keeps them. */
  events: ServiceEventRecord[];
  currentServiceDeploymentArn?: string;
  /** The last deployment that reached COMPLETED: what the circuit breaker rolls back to. */
  lastCompleted?: { deploymentId: string; taskDefinitionArn: string; serviceRevisionArn: string };
  /** Whether the "has reached a steady state" event has been sent since the service last changed. */
  steady: boolean;
  /** Service throttle logic: consecutive tasks that never reached RUNNING, and when launching may resume. */
  throttle: { failures: number; resumeAt: number; announced: boolean };
  deletedAt?: number;
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'IN_PROGRESS'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type MonitorStatus = 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED';

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  sourceServiceRevisionArns: string[];
  targetServiceRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  deploymentConfiguration: DeploymentConfigurationRecord;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  circuitBreakerStatus: MonitorStatus;
  failureCount: number;
  /** The breaker's threshold, computed once when the service deployment started. */
  threshold: number;
  /** ServiceDeploymentAlarms (API reference). */
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** When the alarms' bake time after a rolling update ends (set once the target revision is steady). */
  bakeUntil?: number;
  /** The rolling deployments (`ecs-svc/...`) that carry out this service deployment, the first being its target. */
  deploymentIds: string[];
  /** BLUE_GREEN, LINEAR, CANARY: the stage reached (ServiceDeployment.lifecycleStage) and when it was entered. */
  lifecycleStage?: string;
  stageEnteredAt?: number;
  /** How many traffic steps of a LINEAR or CANARY deployment have been taken. */
  trafficStep?: number;
  lifecycleHookDetails?: HookRunRecord[];
  /** The green share of test and production traffic, in percent. */
  testTrafficWeight?: number;
  productionTrafficWeight?: number;
  traffic?: TrafficPairRecord[];
  /** When the stage's wait (bake time, step bake) ends. */
  waitUntil?: number;
}

export interface ServiceRevisionRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  launchType?: string;
  platformVersion?: string;
  platformFamily?: string;
  capacityProviderStrategy?: Json[];
  networkConfiguration?: Json;
  loadBalancers: Json[];
  containerImages: Array<{ containerName: string; image: string }>;
  createdAt: number;
  /** ServiceRevision.resolvedConfiguration.loadBalancers: which target group serves this revision. */
  resolvedLoadBalancers?: Array<{ targetGroupArn: string; productionListenerRule?: string }>;
}

export interface ContainerRecord {
  arn: string;
  name: string;
  image: string;
  essential: boolean;
  hasHealthCheck: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** Where a process container listens (set when it starts), for DescribeTasks and load balancer targets. */
  networkBindings?: Array<{ bindIP: string; containerPort: number; hostPort: number; protocol: 'tcp' | 'udp' }>;
  runtimeId: string;
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface TaskRecord {
  arn: string;
  id: string;
  clusterArn: string;
  cluster: string;
  taskDefinitionArn: string;
  family: string;
  startedBy?: string;
  group: string;
  launchType?: string;
  platformVersion?: string;
  platformFamily?: string;
  capacityProviderName?: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerRecord[];
  overrides: Json;
  attachments: Json[];
  enableExecuteCommand: boolean;
  version: number;
  /** Set for tasks a service started: which service and which of its deployments. */
  serviceName?: string;
  deploymentId?: string;
  /** When the service scheduler first counted this task as healthy (see scheduler/health). */
  healthyAt?: number;
  /** The load balancer targets ECS registered for this task (tasks/load-balancer). */
  targets?: Array<{ targetGroupArn: string; id: string; port: number }>;
}

export interface EcsState {
  clusters: Map<string, ClusterRecord>;
  /** By family; index = revision - 1. */
  taskDefinitions: Map<string, TaskDefinitionRecord[]>;
  services: ServiceRecord[];
  tasks: Map<string, TaskRecord>;
  serviceDeployments: Map<string, ServiceDeploymentRecord>;
  serviceRevisions: Map<string, ServiceRevisionRecord>;
  tags: Map<string, Tag[]>;
  /** RunTask's client tokens, by cluster and token: what the first call asked for and the tasks it started. */
  runTaskTokens: Map<string, RunTaskTokenRecord>;
}

export interface RunTaskTokenRecord {
  /** The request's parameters but the token, canonically written: a retry must repeat them. */
  parameters: string;
  at: number;
  taskArns: string[];
}

export function emptyEcsState(): EcsState {
  return {
    clusters: new Map(),
    taskDefinitions: new Map(),
    services: [],
    tasks: new Map(),
    serviceDeployments: new Map(),
    serviceRevisions: new Map(),
    tags: new Map(),
    runTaskTokens: new Map(),
  };
}
