/**
 * UpdateDeploymentGroup, DeleteDeploymentGroup and DeleteApplication for ECS groups (API reference). An update
 * changes what it is given and keeps the rest, after the same checks CreateDeploymentGroup makes (group-checks);
 * a deployment under way keeps the settings it was created with (CodeDeploy copies them into DeploymentInfo).
 * Deleting a group or an application leaves the deployments' records readable (*unconfirmed*) and refuses nothing
 * while one is under way (*unconfirmed*: the API reference names no exception for it). ECS groups have no Auto
 * Scaling lifecycle hooks, so hooksNotCleanedUp is empty.
 */
import type { Context } from '../context';
import type { Json } from '../ecs/state';
import { checkAlarmConfiguration } from './alarms';
import { checkDeploymentConfigName } from './deployment-groups';
import { deploymentGroupAlreadyExists } from './errors';
import {
  checkAutoRollback,
  checkBlueGreen,
  checkDeploymentStyle,
  checkEcsServices,
  checkLoadBalancerInfo,
  checkRole,
} from './group-checks';
import { applicationName, deploymentGroupName, requireApplication, requireDeploymentGroup } from './names';
import { groupKey, type DeploymentGroupRecord } from './state';
import { findService } from '../ecs/resolve';

function serviceOfGroup(ctx: Context, group: DeploymentGroupRecord) {
  const { clusterName, serviceName } = group.ecsServices[0];
  const cluster = ctx.ecs.clusters.get(clusterName);
  return cluster ? findService(ctx, cluster, serviceName) : undefined;
}

export const groupChangeOperations = {
  UpdateDeploymentGroup(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    const current = deploymentGroupName(input, 'currentDeploymentGroupName');
    const group = requireDeploymentGroup(ctx, appName, current);
    const newName = input.newDeploymentGroupName === undefined ? current : deploymentGroupName(input, 'newDeploymentGroupName');
    if (newName !== current && ctx.codedeploy.deploymentGroups.has(groupKey(appName, newName)))
      throw deploymentGroupAlreadyExists(appName, newName);
    // Every check before anything changes: a refused update changes nothing.
    const changes: Partial<DeploymentGroupRecord> = {};
    if (input.serviceRoleArn !== undefined) changes.serviceRoleArn = checkRole(input.serviceRoleArn);
    if (input.deploymentConfigName !== undefined) changes.deploymentConfigName = checkDeploymentConfigName(input.deploymentConfigName);
    if (input.deploymentStyle !== undefined) changes.deploymentStyle = checkDeploymentStyle(input.deploymentStyle);
    let service = serviceOfGroup(ctx, group);
    if (input.ecsServices !== undefined) {
      const checked = checkEcsServices(ctx, input.ecsServices, group);
      changes.ecsServices = [checked.entry];
      service = checked.service;
    }
    if (input.loadBalancerInfo !== undefined && service)
      changes.loadBalancerInfo = checkLoadBalancerInfo(ctx, input.loadBalancerInfo, service);
    if (input.blueGreenDeploymentConfiguration !== undefined)
      changes.blueGreenDeploymentConfiguration = checkBlueGreen(input.blueGreenDeploymentConfiguration);
    if (input.autoRollbackConfiguration !== undefined)
      changes.autoRollbackConfiguration = checkAutoRollback(input.autoRollbackConfiguration);
    if (input.alarmConfiguration !== undefined) changes.alarmConfiguration = checkAlarmConfiguration(input.alarmConfiguration);
    Object.assign(group, changes);
    if (newName !== current) {
      ctx.codedeploy.deploymentGroups.delete(groupKey(appName, current));
      group.deploymentGroupName = newName;
      ctx.codedeploy.deploymentGroups.set(groupKey(appName, newName), group);
    }
    return { hooksNotCleanedUp: [] };
  },

  DeleteDeploymentGroup(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    const name = deploymentGroupName(input);
    requireDeploymentGroup(ctx, appName, name);
    ctx.codedeploy.deploymentGroups.delete(groupKey(appName, name));
    return { hooksNotCleanedUp: [] };
  },

  /** Its deployment groups and revisions go with it. */
  DeleteApplication(ctx: Context, input: Json) {
    const appName = applicationName(input);
    requireApplication(ctx, appName);
    for (const [key, group] of ctx.codedeploy.deploymentGroups)
      if (group.applicationName === appName) ctx.codedeploy.deploymentGroups.delete(key);
    for (const [key, revision] of ctx.codedeploy.revisions) if (revision.applicationName === appName) ctx.codedeploy.revisions.delete(key);
    ctx.codedeploy.applications.delete(appName);
    return {};
  },
};
