/** CreateDeployment, GetDeployment, BatchGetDeployments, ListDeployments for ECS deployment groups (API reference). */
import type { Context } from '../context';
import type { Json } from '../ecs/state';
import { readAppSpec } from './appspec';
import { checkDeploymentConfigName } from './deployment-groups';
import { batchLimitExceeded, deploymentDoesNotExist, deploymentIdRequired, deploymentLimitExceeded, invalidDeploymentId } from './errors';
import { checkAutoRollback } from './group-checks';
import { newDeployment } from './new-deployment';
import { applicationName, deploymentGroupName, requireApplication, requireDeploymentGroup } from './names';
import { page } from './pages';
import { FINISHED, type DeploymentRecord } from './state';
import { normalizeRevision, renderRevisionLocation } from './revisions';
import { checkAlarmConfiguration } from './alarms';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function requireDeployment(ctx: Context, value: unknown): DeploymentRecord {
  if (value === undefined || value === '') throw deploymentIdRequired();
  if (typeof value !== 'string' || !/^d-[A-Z0-9]{9}$/.test(value)) throw invalidDeploymentId(String(value));
  const deployment = ctx.codedeploy.deployments.get(value);
  if (!deployment) throw deploymentDoesNotExist(value);
  return deployment;
}

/** DeploymentInfo (API reference); deploymentOverview counts the one ECS target by its status. */
export function renderDeployment(deployment: DeploymentRecord): Json {
  const overview: Record<string, number> = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  const targetStatus = deployment.target.status === 'Unknown' ? 'Pending' : deployment.target.status;
  overview[targetStatus] += 1;
  const info: Json = {
    applicationName: deployment.applicationName,
    deploymentGroupName: deployment.deploymentGroupName,
    deploymentConfigName: deployment.deploymentConfigName,
    deploymentId: deployment.deploymentId,
    revision: renderRevisionLocation(deployment.revision),
    status: deployment.status,
    errorInformation: deployment.errorInformation,
    createTime: seconds(deployment.createTime),
    startTime: seconds(deployment.startTime),
    completeTime: seconds(deployment.completeTime),
    deploymentOverview: overview,
    description: deployment.description,
    creator: deployment.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: deployment.autoRollbackConfiguration,
    updateOutdatedInstancesOnly: false,
    rollbackInfo: deployment.rollbackInfo,
    overrideAlarmConfiguration: deployment.overrideAlarmConfiguration,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    instanceTerminationWaitTimeStarted: deployment.instanceTerminationWaitTimeStarted,
    blueGreenDeploymentConfiguration: deployment.blueGreenDeploymentConfiguration,
    loadBalancerInfo: deployment.loadBalancerInfo,
    deploymentStatusMessages: [],
    computePlatform: 'ECS',
  };
  for (const key of Object.keys(info)) if (info[key] === undefined) delete info[key];
  return info;
}

export const deploymentOperations = {
  /**
   * A deployment of the group's one ECS service. A group runs one deployment at a time: another while one is
   * under way is refused with DeploymentLimitExceededException, as users of ECS groups report (CircleCI-Public/
   * aws-ecs-orb#181, aws/aws-codedeploy-agent#248), not queued. DeploymentStatus also has Queued and Baking: the
   * user guide and API reference describe neither for the ECS platform (what the guide says of a queue and of
   * baking is about EC2/on-premises deployments: deployments waiting for an instance's agent, the zonal
   * configuration's monitor duration), so an ECS deployment here never has them (*unconfirmed* that none ever
   * does: a poller must accept both). The group's auto-rollback settings apply unless the call overrides them
   * (autoRollbackConfiguration, API reference).
   */
  CreateDeployment(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    const groupName = deploymentGroupName(input);
    const group = requireDeploymentGroup(ctx, appName, groupName);
    const deploymentConfigName = checkDeploymentConfigName(input.deploymentConfigName ?? group.deploymentConfigName);
    const appSpec = readAppSpec(input.revision);
    const override = input.overrideAlarmConfiguration === undefined ? undefined : checkAlarmConfiguration(input.overrideAlarmConfiguration);
    for (const other of ctx.codedeploy.deployments.values())
      if (other.applicationName === appName && other.deploymentGroupName === groupName && !FINISHED.has(other.status))
        throw deploymentLimitExceeded(groupName, other.deploymentId);
    const deployment = newDeployment(ctx, {
      applicationName: appName,
      deploymentGroupName: groupName,
      deploymentConfigName,
      description: typeof input.description === 'string' ? input.description : undefined,
      creator: 'user',
      revision: normalizeRevision(input.revision),
      appSpec,
      autoRollbackConfiguration:
        input.autoRollbackConfiguration !== undefined
          ? checkAutoRollback(input.autoRollbackConfiguration)
          : structuredClone(group.autoRollbackConfiguration),
      blueGreenDeploymentConfiguration: structuredClone(group.blueGreenDeploymentConfiguration),
      loadBalancerInfo: structuredClone(group.loadBalancerInfo),
      alarmConfiguration: override ?? structuredClone(group.alarmConfiguration),
      overrideAlarmConfiguration: override,
      cluster: group.ecsServices[0].clusterName,
      service: group.ecsServices[0].serviceName,
    });
    return { deploymentId: deployment.deploymentId };
  },

  GetDeployment(ctx: Context, input: Json) {
    return { deploymentInfo: renderDeployment(requireDeployment(ctx, input.deploymentId)) };
  },

  BatchGetDeployments(ctx: Context, input: Json) {
    const ids = Array.isArray(input.deploymentIds) ? input.deploymentIds : [];
    if (ids.length > 25) throw batchLimitExceeded();
    const found = ids.map((id) => ctx.codedeploy.deployments.get(String(id))).filter((d) => d !== undefined);
    return { deploymentsInfo: found.map(renderDeployment) };
  },

  /** Newest first (*unconfirmed*: the API reference gives no order), filtered by status and create time. */
  ListDeployments(ctx: Context, input: Json) {
    const appName = input.applicationName === undefined ? undefined : applicationName(input);
    const groupName = input.deploymentGroupName === undefined ? undefined : deploymentGroupName(input);
    if (appName) requireApplication(ctx, appName);
    if (appName && groupName) requireDeploymentGroup(ctx, appName, groupName);
    const statuses = Array.isArray(input.includeOnlyStatuses) ? (input.includeOnlyStatuses as string[]) : undefined;
    const range = (input.createTimeRange ?? {}) as { start?: number; end?: number };
    const ids = [...ctx.codedeploy.deployments.values()]
      .filter(
        (d) => (appName === undefined || d.applicationName === appName) && (groupName === undefined || d.deploymentGroupName === groupName),
      )
      .filter((d) => !statuses || statuses.includes(d.status))
      .filter(
        (d) =>
          (range.start === undefined || d.createTime >= range.start * 1000) &&
          (range.end === undefined || d.createTime <= range.end * 1000),
      )
      .reverse()
      .map((d) => d.deploymentId);
    return page(ids, input, 'deployments');
  },
};
