/**
 * What IAM authorizes a CodeDeploy call on (Service Authorization Reference, "Actions, resources, and condition keys
 * for AWS CodeDeploy", and the CodeDeploy user guide's "CodeDeploy permissions reference"): `codedeploy:<Operation>`
 * on an application (`application:<name>`), a deployment group (`deploymentgroup:<application>/<group>`; GetDeployment
 * and BatchGetDeployments name a deployment and are authorized on its group), a deployment configuration
 * (`deploymentconfig:<name>`), else `*`.
 * - `*`: the calls the Service Authorization Reference gives no resource type: GetDeploymentTarget,
 *   ListDeploymentTargets, BatchGetDeploymentTargets, StopDeployment, ContinueDeployment,
 *   PutLifecycleEventHookExecutionStatus, ListApplications, ListDeploymentConfigs. The user guide's table names the
 *   deployment group for some of them; which one IAM enforces is *unconfirmed*, so the sandbox takes the stricter
 *   (a grant on the group alone is refused; a grant on `*` works under both). ListDeployments without a deployment
 *   group is `*` too (footnote 2 of the user guide's table).
 * - CreateDeployment also needs codedeploy:GetDeploymentConfig on the configuration it uses and
 *   codedeploy:GetApplicationRevision or codedeploy:RegisterApplicationRevision on the application (footnote 1), and
 *   codedeploy:UpdateDeploymentGroup on the group when it gives overrideAlarmConfiguration (CreateDeployment, API
 *   reference). UpdateDeploymentGroup renaming a group needs the action on the new name too (footnote 3).
 * - CreateDeploymentGroup and UpdateDeploymentGroup hand CodeDeploy its service role: iam:PassRole on it (user guide,
 *   "Identity-based policy examples").
 */
import type { Arns } from '../arns';

type Input = Record<string, unknown>;

/** One permission: an action on a resource, or (when `or` is given) that other one instead. */
export interface CodeDeployCheck {
  action: string;
  resource: string;
  or?: { action: string; resource: string };
}

/** What the sandbox knows that a call's resource depends on: a deployment's group, a group's configuration. */
export interface CodeDeployLookup {
  deployment(deploymentId: string): { applicationName: string; deploymentGroupName: string } | undefined;
  groupConfig(applicationName: string, deploymentGroupName: string): string | undefined;
}

const APPLICATION_CALLS = new Set([
  'CreateApplication',
  'GetApplication',
  'DeleteApplication',
  'UpdateApplication',
  'ListDeploymentGroups',
  'BatchGetApplications',
  'RegisterApplicationRevision',
  'GetApplicationRevision',
  'ListApplicationRevisions',
  'BatchGetApplicationRevisions',
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
const DEPLOYMENT_CALLS = new Set(['GetDeployment', 'BatchGetDeployments']);
const CONFIG_CALLS = new Set(['GetDeploymentConfig', 'CreateDeploymentConfig', 'DeleteDeploymentConfig']);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const single = (value: unknown): string | undefined => (Array.isArray(value) && value.length === 1 ? text(value[0]) : undefined);
const configArn = (arns: Arns, name: string) =>
  `arn:${arns.partition}:codedeploy:${arns.region}:${arns.accountId}:deploymentconfig:${name}`;

export function codeDeployResource(arns: Arns, operation: string, input: Input, lookup: CodeDeployLookup): string {
  const application = text(input.applicationName) ?? (operation === 'BatchGetApplications' ? single(input.applicationNames) : undefined);
  if (APPLICATION_CALLS.has(operation)) return application ? arns.codeDeployApplication(application) : '*';
  if (GROUP_CALLS.has(operation)) {
    const group = text(input.deploymentGroupName) ?? text(input.currentDeploymentGroupName) ?? single(input.deploymentGroupNames);
    return application && group ? arns.codeDeployDeploymentGroup(application, group) : '*';
  }
  if (DEPLOYMENT_CALLS.has(operation)) {
    const id = text(input.deploymentId) ?? single(input.deploymentIds);
    const owner = id ? lookup.deployment(id) : undefined;
    return owner ? arns.codeDeployDeploymentGroup(owner.applicationName, owner.deploymentGroupName) : '*';
  }
  if (CONFIG_CALLS.has(operation) && text(input.deploymentConfigName)) return configArn(arns, String(input.deploymentConfigName));
  return '*';
}

/** The permissions a call needs besides its own action (see the module comment). */
export function codeDeployAlsoChecks(arns: Arns, operation: string, input: Input, lookup: CodeDeployLookup): CodeDeployCheck[] {
  const checks: CodeDeployCheck[] = [];
  const role = text(input.serviceRoleArn);
  if ((operation === 'CreateDeploymentGroup' || operation === 'UpdateDeploymentGroup') && role)
    checks.push({ action: 'iam:PassRole', resource: role });
  const application = text(input.applicationName);
  if (operation === 'UpdateDeploymentGroup' && application && text(input.newDeploymentGroupName))
    checks.push({
      action: 'codedeploy:UpdateDeploymentGroup',
      resource: arns.codeDeployDeploymentGroup(application, String(input.newDeploymentGroupName)),
    });
  const group = text(input.deploymentGroupName);
  if (operation !== 'CreateDeployment' || !application || !group) return checks;
  const config = text(input.deploymentConfigName) ?? lookup.groupConfig(application, group);
  if (config) checks.push({ action: 'codedeploy:GetDeploymentConfig', resource: configArn(arns, config) });
  const applicationArn = arns.codeDeployApplication(application);
  checks.push({
    action: 'codedeploy:RegisterApplicationRevision',
    resource: applicationArn,
    or: { action: 'codedeploy:GetApplicationRevision', resource: applicationArn },
  });
  if (input.overrideAlarmConfiguration !== undefined)
    checks.push({ action: 'codedeploy:UpdateDeploymentGroup', resource: arns.codeDeployDeploymentGroup(application, group) });
  return checks;
}
