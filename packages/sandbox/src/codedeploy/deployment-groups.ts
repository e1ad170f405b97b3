/** CreateDeploymentGroup, GetDeploymentGroup, ListDeploymentGroups, BatchGetDeploymentGroups for ECS (API reference). */
import type { Context } from '../context';
import type { Json } from '../ecs/state';
import { uuid } from '../ids';
import { DEFAULT_ECS_CONFIG, findConfig, isOtherPlatformConfig } from './configs';
import {
  batchLimitExceeded,
  deploymentConfigDoesNotExist,
  deploymentGroupAlreadyExists,
  invalidComputePlatform,
  invalidDeploymentConfigName,
} from './errors';
import {
  checkAutoRollback,
  checkBlueGreen,
  checkDeploymentStyle,
  checkEcsServices,
  checkLoadBalancerInfo,
  checkRole,
} from './group-checks';
import { applicationName, deploymentGroupName, requireApplication, requireDeploymentGroup } from './names';
import { page } from './pages';
import { groupKey, type DeploymentGroupRecord } from './state';
import { checkAlarmConfiguration } from './alarms';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function renderSummary(summary: DeploymentGroupRecord['lastAttemptedDeployment']): Json | undefined {
  return (
    summary && {
      deploymentId: summary.deploymentId,
      status: summary.status,
      endTime: seconds(summary.endTime),
      createTime: seconds(summary.createTime),
    }
  );
}

/** DeploymentGroupInfo: the ECS group's settings, and the empty lists of the EC2/on-premises members. */
export function renderDeploymentGroup(group: DeploymentGroupRecord): Json {
  const info: Json = {
    applicationName: group.applicationName,
    deploymentGroupId: group.deploymentGroupId,
    deploymentGroupName: group.deploymentGroupName,
    deploymentConfigName: group.deploymentConfigName,
    ec2TagFilters: [],
    onPremisesInstanceTagFilters: [],
    autoScalingGroups: [],
    serviceRoleArn: group.serviceRoleArn,
    triggerConfigurations: [],
    alarmConfiguration: group.alarmConfiguration,
    autoRollbackConfiguration: group.autoRollbackConfiguration,
    deploymentStyle: group.deploymentStyle,
    outdatedInstancesStrategy: 'UPDATE',
    blueGreenDeploymentConfiguration: group.blueGreenDeploymentConfiguration,
    loadBalancerInfo: group.loadBalancerInfo,
    lastSuccessfulDeployment: renderSummary(group.lastSuccessfulDeployment),
    lastAttemptedDeployment: renderSummary(group.lastAttemptedDeployment),
    computePlatform: 'ECS',
    ecsServices: group.ecsServices,
    terminationHookEnabled: false,
  };
  for (const key of Object.keys(info)) if (info[key] === undefined) delete info[key];
  return info;
}

/** An ECS group's configuration must be one of the ECS platform's (which exception another platform's gets is *unconfirmed*). */
export function checkDeploymentConfigName(value: unknown): string {
  if (value === undefined) return DEFAULT_ECS_CONFIG;
  const name = String(value);
  if (findConfig(name)) return name;
  if (isOtherPlatformConfig(name))
    throw invalidDeploymentConfigName(`The deployment configuration ${name} is not for the ECS compute platform.`);
  throw deploymentConfigDoesNotExist(name);
}

export const deploymentGroupOperations = {
  CreateDeploymentGroup(ctx: Context, input: Json) {
    const appName = applicationName(input);
    const name = deploymentGroupName(input);
    const application = requireApplication(ctx, appName);
    if (application.computePlatform !== 'ECS')
      throw invalidComputePlatform('The sandbox models deployment groups of ECS applications only (computePlatform ECS).');
    if (ctx.codedeploy.deploymentGroups.has(groupKey(appName, name))) throw deploymentGroupAlreadyExists(appName, name);
    const serviceRoleArn = checkRole(input.serviceRoleArn);
    const deploymentConfigName = checkDeploymentConfigName(input.deploymentConfigName);
    const deploymentStyle = checkDeploymentStyle(input.deploymentStyle);
    const { entry, service } = checkEcsServices(ctx, input.ecsServices);
    const group: DeploymentGroupRecord = {
      applicationName: appName,
      deploymentGroupId: uuid(),
      deploymentGroupName: name,
      deploymentConfigName,
      serviceRoleArn,
      ecsServices: [entry],
      loadBalancerInfo: checkLoadBalancerInfo(ctx, input.loadBalancerInfo, service),
      blueGreenDeploymentConfiguration: checkBlueGreen(input.blueGreenDeploymentConfiguration),
      autoRollbackConfiguration: checkAutoRollback(input.autoRollbackConfiguration),
      deploymentStyle,
      alarmConfiguration: checkAlarmConfiguration(input.alarmConfiguration),
    };
    ctx.codedeploy.deploymentGroups.set(groupKey(appName, name), group);
    return { deploymentGroupId: group.deploymentGroupId };
  },

  GetDeploymentGroup(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    return { deploymentGroupInfo: renderDeploymentGroup(requireDeploymentGroup(ctx, appName, deploymentGroupName(input))) };
  },

  ListDeploymentGroups(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    const names = [...ctx.codedeploy.deploymentGroups.values()]
      .filter((g) => g.applicationName === appName)
      .map((g) => g.deploymentGroupName)
      .sort();
    return { applicationName: appName, ...page(names, input, 'deploymentGroups') };
  },

  /** Names that do not exist are reported in errorMessage, not thrown (BatchGetDeploymentGroups; wording *unconfirmed*). */
  BatchGetDeploymentGroups(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    const names = Array.isArray(input.deploymentGroupNames) ? (input.deploymentGroupNames as unknown[]) : [];
    if (names.length > 100) throw batchLimitExceeded();
    const found = names.map((n) => ctx.codedeploy.deploymentGroups.get(groupKey(appName, String(n))));
    const missing = names.filter((_, i) => !found[i]);
    const answer: Json = { deploymentGroupsInfo: found.filter((g) => g !== undefined).map(renderDeploymentGroup) };
    if (missing.length > 0) answer.errorMessage = `Deployment groups not found for application ${appName}: ${missing.join(', ')}`;
    return answer;
  },
};
