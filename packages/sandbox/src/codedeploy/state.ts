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
  alarmConfiguration: Json;
  lastAttemptedDeployment?: { deploymentId: string; status: string; endTime?: number; createTime: number };
  lastSuccessfulDeployment?: { deploymentId: string; status: string; endTime?: number; createTime: number };
}

export interface CodeDeployState {
  applications: Map<string, ApplicationRecord>;
  /** By `<application>/<group>`. */
  deploymentGroups: Map<string, DeploymentGroupRecord>;
}

export function emptyCodeDeployState(): CodeDeployState {
  return { applications: new Map(), deploymentGroups: new Map() };
}

export const groupKey = (application: string, group: string) => `${application}/${group}`;
