/** Readers of CodeDeploy's names and the records they name, with CodeDeploy's exceptions (codedeploy/errors). */
import type { Context } from '../context';
import type { Json } from '../ecs/state';
import {
  applicationDoesNotExist,
  applicationNameRequired,
  deploymentGroupDoesNotExist,
  deploymentGroupNameRequired,
  invalidApplicationName,
  invalidDeploymentGroupName,
} from './errors';
import { groupKey, type ApplicationRecord, type DeploymentGroupRecord } from './state';

/** Application and deployment group names: 1–100 characters (API reference, Length Constraints). */
const MAX_NAME = 100;

export function applicationName(input: Json, member = 'applicationName'): string {
  const name = input[member];
  if (name === undefined || name === '') throw applicationNameRequired();
  if (typeof name !== 'string' || name.length > MAX_NAME) throw invalidApplicationName(String(name));
  return name;
}

export function deploymentGroupName(input: Json, member = 'deploymentGroupName'): string {
  const name = input[member];
  if (name === undefined || name === '') throw deploymentGroupNameRequired();
  if (typeof name !== 'string' || name.length > MAX_NAME) throw invalidDeploymentGroupName(String(name));
  return name;
}

export function requireApplication(ctx: Context, name: string): ApplicationRecord {
  const application = ctx.codedeploy.applications.get(name);
  if (!application) throw applicationDoesNotExist(name);
  return application;
}

export function requireDeploymentGroup(ctx: Context, application: string, group: string): DeploymentGroupRecord {
  const found = ctx.codedeploy.deploymentGroups.get(groupKey(application, group));
  if (!found) throw deploymentGroupDoesNotExist(application, group);
  return found;
}
