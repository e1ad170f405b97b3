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
