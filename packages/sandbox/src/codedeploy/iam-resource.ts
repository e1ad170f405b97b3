/**
 * The resource IAM authorizes a CodeDeploy call on (Service Authorization Reference, "Actions, resources, and
 * condition keys for AWS CodeDeploy"): an application (`application:<name>`), a deployment group
 * (`deploymentgroup:<application>/<group>`; the calls naming a deployment are authorized on its group), a
 * deployment configuration (`deploymentconfig:<name>`), else `*` (ListApplications, ListDeploymentConfigs).
 */
import type { Arns } from '../arns';

type Input = Record<string, unknown>;
/** The application and deployment group of a deployment id, if the sandbox knows it. */
export type DeploymentGroupOf = (deploymentId: string) => { applicationName: string; deploymentGroupName: string } | undefined;

const APPLICATION_CALLS = new Set([
  'CreateApplication',
  'GetApplication',
  'DeleteApplication',
  'ListDeploymentGroups',
  'BatchGetApplications',
]);
const GROUP_CALLS = new Set([
  'CreateDeploymentGroup',
  'GetDeploymentGroup',
  'UpdateDeploymentGroup',
  'DeleteDeploymentGroup',
  'CreateDeployment',
  'ListDeployments',
  'BatchGetDeploymentGroups',
]);
const DEPLOYMENT_CALLS = new Set([
  'GetDeployment',
  'GetDeploymentTarget',
  'ListDeploymentTargets',
  'BatchGetDeploymentTargets',
  'StopDeployment',
  'ContinueDeployment',
  'PutLifecycleEventHookExecutionStatus',
  'BatchGetDeployments',
]);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const single = (value: unknown): string | undefined => (Array.isArray(value) && value.length === 1 ? text(value[0]) : undefined);

export function codeDeployResource(arns: Arns, operation: string, input: Input, deploymentGroupOf: DeploymentGroupOf): string {
  const application = text(input.applicationName) ?? (operation === 'BatchGetApplications' ? single(input.applicationNames) : undefined);
  if (APPLICATION_CALLS.has(operation)) return application ? arns.codeDeployApplication(application) : '*';
  if (GROUP_CALLS.has(operation)) {
    const group = text(input.deploymentGroupName) ?? single(input.deploymentGroupNames);
    return application && group ? arns.codeDeployDeploymentGroup(application, group) : '*';
  }
  if (DEPLOYMENT_CALLS.has(operation)) {
    const id = text(input.deploymentId) ?? single(input.deploymentIds);
    const owner = id ? deploymentGroupOf(id) : undefined;
    return owner ? arns.codeDeployDeploymentGroup(owner.applicationName, owner.deploymentGroupName) : '*';
  }
  if (operation === 'GetDeploymentConfig' && text(input.deploymentConfigName))
    return `arn:aws:codedeploy:${arns.region}:${arns.accountId}:deploymentconfig:${String(input.deploymentConfigName)}`;
  return '*';
}

/**
 * CreateDeploymentGroup and UpdateDeploymentGroup hand CodeDeploy its service role: "iam:PassRole" on it (CodeDeploy
 * user guide, "Identity-based policy examples": a user creating deployment groups needs iam:PassRole for the role).
 */
export function codeDeployPassedRoles(operation: string, input: Input): string[] {
  if (operation !== 'CreateDeploymentGroup' && operation !== 'UpdateDeploymentGroup') return [];
  const role = text(input.serviceRoleArn);
  return role ? [role] : [];
}

/** The deployment configuration a group deploys with, when the sandbox knows the group. */
export type GroupConfigOf = (application: string, group: string) => string | undefined;

/**
 * What CreateDeployment needs beside codedeploy:CreateDeployment (Permissions reference, footnote 1: "When you
 * specify CreateDeployment permissions, you must also specify GetDeploymentConfig permissions for the deployment
 * configuration and GetApplicationRevision or RegisterApplicationRevision permissions for the application
 * revision"): GetDeploymentConfig on the configuration the deployment uses (the call's, else its group's), and
 * either of the two on the application. A group the sandbox does not know adds nothing: the call fails on its own.
 */
export function codeDeployAlsoNeeded(
  arns: Arns,
  operation: string,
  input: Input,
  groupConfigOf: GroupConfigOf,
): Array<{ action: string; resource: string; alternatives?: string[] }> {
  if (operation !== 'CreateDeployment') return [];
  const application = text(input.applicationName);
  const group = text(input.deploymentGroupName);
  const config = text(input.deploymentConfigName) ?? (application && group ? groupConfigOf(application, group) : undefined);
  if (!application || !config) return [];
  return [
    {
      action: 'codedeploy:GetDeploymentConfig',
      resource: `arn:aws:codedeploy:${arns.region}:${arns.accountId}:deploymentconfig:${config}`,
    },
    {
      action: 'codedeploy:GetApplicationRevision',
      resource: arns.codeDeployApplication(application),
      alternatives: ['codedeploy:RegisterApplicationRevision'],
    },
  ];
}
