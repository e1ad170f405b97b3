/**
 * CodeDeploy's state as plain records (no functions, no timers), like ECS's (ecs/state). Times are epoch
 * milliseconds here and epoch seconds on the wire. Only the ECS compute platform is modelled.
 */
import type { Json } from '../ecs/state';

export interface ApplicationRecord {
  applicationId: string;
  applicationName: string;
  createTime: number;
  computePlatform: 'Server' | 'Lambda' | 'ECS';
}

/** TrafficRoute and TargetGroupPairInfo (API reference): the pair's target groups are named, the routes are listener ARNs. */
export interface TargetGroupPairRecord {
  targetGroups: Array<{ name: string }>;
  prodTrafficRoute: { listenerArns: string[] };
  testTrafficRoute?: { listenerArns: string[] };
}

export interface BlueGreenRecord {
  deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'; waitTimeInMinutes: number };
  terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' | 'KEEP_ALIVE'; terminationWaitTimeInMinutes: number };
}

/** AlarmConfiguration (API reference), checked (codedeploy/alarms). */
export interface AlarmConfigurationRecord {
  enabled: boolean;
  ignorePollAlarmFailure: boolean;
  alarms: Array<{ name: string }>;
}

export interface AutoRollbackRecord {
  enabled: boolean;
  events: string[];
}

export interface DeploymentGroupRecord {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  ecsServices: Array<{ clusterName: string; serviceName: string }>;
  loadBalancerInfo: { targetGroupPairInfoList: TargetGroupPairRecord[] };
  blueGreenDeploymentConfiguration: BlueGreenRecord;
  autoRollbackConfiguration: AutoRollbackRecord;
  deploymentStyle: { deploymentType: 'BLUE_GREEN'; deploymentOption: 'WITH_TRAFFIC_CONTROL' };
  alarmConfiguration: AlarmConfigurationRecord;
  lastAttemptedDeployment?: { deploymentId: string; status: string; endTime?: number; createTime: number };
  lastSuccessfulDeployment?: { deploymentId: string; status: string; endTime?: number; createTime: number };
}

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';

/** LifecycleEvent (API reference), as GetDeploymentTarget's ecsTarget lists them. */
export interface LifecycleEventRecord {
  lifecycleEventName: string;
  status: LifecycleEventStatus;
  startTime?: number;
  endTime?: number;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
  /** The AppSpec hook run at this event: its function, execution id, the status it was answered, when it times out. */
  hook?: { functionArn: string; executionId: string; status: 'Pending' | 'Succeeded' | 'Failed'; expiresAt: number };
}

/** The AppSpec's TargetService, read (codedeploy/appspec): what the replacement task set runs. */
export interface AppSpecRecord {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  platformVersion?: string;
  networkConfiguration?: Json;
  capacityProviderStrategy?: Json[];
  /** Hooks: the Lambda function ARN by lifecycle event name. */
  hooks: Record<string, string>;
}

export interface DeploymentRecord {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  status: DeploymentStatus;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  description?: string;
  creator: 'user' | 'codeDeployRollback';
  /**
   * The AppSpec deployed (revisionType AppSpecContent), its sha256 computed when CreateDeployment gave none. A
   * rollback deployment has none when its group never had a successful deployment (codedeploy/rollback).
   */
  revision?: { revisionType: 'AppSpecContent'; appSpecContent: { content: string; sha256: string } };
  appSpec: AppSpecRecord;
  autoRollbackConfiguration: AutoRollbackRecord;
  /** The alarms it watches: the group's, or CreateDeployment's overrideAlarmConfiguration (then also shown by GetDeployment). */
  alarmConfiguration: AlarmConfigurationRecord;
  overrideAlarmConfiguration?: AlarmConfigurationRecord;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  /** The deployment group's settings when the deployment was created. */
  blueGreenDeploymentConfiguration: BlueGreenRecord;
  loadBalancerInfo: { targetGroupPairInfoList: TargetGroupPairRecord[] };
  instanceTerminationWaitTimeStarted: boolean;
  /** The one ECS target, `<cluster>:<service>`. */
  target: {
    cluster: string;
    service: string;
    status: LifecycleEventStatus | 'Ready';
    lastUpdatedAt: number;
    lifecycleEvents: LifecycleEventRecord[];
  };
  /** Set once the deployment started: the task sets and target groups it moves traffic between. */
  originalTaskSetId?: string;
  replacementTaskSetId?: string;
  blueTargetGroupArn?: string;
  greenTargetGroupArn?: string;
  /** The replacement's share of production traffic, in percent. */
  productionWeight: number;
  /** A rollback deployment: the original task set it routes back to, the replacement it removes, the groups swapped. */
  rollbackTo?: { taskSetId?: string; removeTaskSetId?: string; blueTargetGroupArn?: string; greenTargetGroupArn?: string };
  /** STOP_DEPLOYMENT ready wait: whether ContinueDeployment READY_WAIT came. */
  readyContinued?: boolean;
  /** StopDeployment asked for a stop (with or without rollback); the next pass carries it out. */
  stopRequested?: { rollback: boolean };
  /** The event under way (index into target.lifecycleEvents), and when its wait (traffic step, termination) ends. */
  eventIndex: number;
  waitUntil?: number;
}

/**
 * An application revision (GenericRevisionInfo, API reference): for ECS the AppSpec itself (AppSpecContent), known
 * by its sha256 within its application; registered by RegisterApplicationRevision or by a deployment of it.
 */
export interface RevisionRecord {
  applicationName: string;
  content: string;
  sha256: string;
  description?: string;
  registerTime: number;
  firstUsedTime?: number;
  lastUsedTime?: number;
  /** The deployment groups that deployed it, in the order they first did. */
  deploymentGroups: string[];
}

export interface CodeDeployState {
  applications: Map<string, ApplicationRecord>;
  /** By `<application>/<group>`. */
  deploymentGroups: Map<string, DeploymentGroupRecord>;
  /** By deployment id, in creation order. */
  deployments: Map<string, DeploymentRecord>;
  /** By `<application>/<sha256>`. */
  revisions: Map<string, RevisionRecord>;
}

export function emptyCodeDeployState(): CodeDeployState {
  return { applications: new Map(), deploymentGroups: new Map(), deployments: new Map(), revisions: new Map() };
}

/** Statuses a deployment does not leave. */
export const FINISHED = new Set<DeploymentStatus>(['Succeeded', 'Failed', 'Stopped']);

export const groupKey = (application: string, group: string) => `${application}/${group}`;
