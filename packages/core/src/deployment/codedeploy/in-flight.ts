import {
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentStatus,
} from '@aws-sdk/client-codedeploy';
import { ActionFailure, errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import { deployedTaskDefinition } from './deployed-revision';
import type { CodeDeployNames } from './settings';

/** The statuses of a deployment that has not ended (DeploymentInfo.status): CodeDeploy runs one a group at a time. */
export const IN_FLIGHT_STATUSES: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/**
 * The group's deployments that have not ended, newest first (ListDeployments, then GetDeployment for the details of
 * a few: a group runs one at a time, so there is rarely more than one).
 */
export async function deploymentsInFlight(codedeploy: CodeDeployClient, names: CodeDeployNames): Promise<DeploymentInfo[]> {
  const listed = await codedeploy.send(
    new ListDeploymentsCommand({
      applicationName: names.application,
      deploymentGroupName: names.deploymentGroup,
      includeOnlyStatuses: IN_FLIGHT_STATUSES,
    }),
  );
  const ids = (listed.deployments ?? []).slice(0, 3);
  const found = await Promise.all(ids.map((deploymentId) => codedeploy.send(new GetDeploymentCommand({ deploymentId }))));
  return found
    .flatMap((answer) => (answer.deploymentInfo ? [answer.deploymentInfo] : []))
    .sort((a, b) => epoch(b.createTime) - epoch(a.createTime));
}

/**
 * CreateDeployment answers DeploymentLimitExceededException when the group already runs a deployment (its message
 * names it, "The Deployment Group '…' already has an active Deployment 'd-…'", in wording that has changed over the
 * years: CircleCI-Public/aws-ecs-orb#181, webfactory/create-aws-codedeploy-deployment#24). The deployment in flight
 * is read from ListDeployments rather than from that text; the text's id is the fallback when the list is refused.
 */
export async function inFlightRefusal(
  codedeploy: CodeDeployClient,
  names: CodeDeployNames,
  error: unknown,
  registered: string,
): Promise<ActionFailure> {
  let which: string;
  try {
    const [other] = await deploymentsInFlight(codedeploy, names);
    const revision = other ? await deployedTaskDefinition(codedeploy, other) : undefined;
    which = other
      ? `deployment ${other.deploymentId} (${other.status}${revision ? `, of ${shortTaskDefinition(revision)}` : ''}${other.createTime ? `, created ${new Date(other.createTime).toISOString()}` : ''})`
      : idIn(error);
  } catch {
    which = idIn(error);
  }
  const id = /d-[A-Z0-9]{9}/.exec(which)?.[0];
  return new ActionFailure(
    `CodeDeploy refused to create a deployment (${(error as Error).name}: ${errorMessage(error)}): deployment group "${names.deploymentGroup}" already has ${which} in flight, ` +
      'and CodeDeploy runs one deployment of a group at a time. ' +
      `Wait for it to end and deploy again, follow it with deploy-ecs's codedeploy-deployment-id${id ? ` (${id})` : ''}, or stop it (auto-rollback, or StopDeployment). ` +
      `${shortTaskDefinition(registered)} is registered; nothing else was changed.`,
  );
}

function idIn(error: unknown): string {
  const id = /d-[A-Z0-9]{9}/.exec(errorMessage(error))?.[0];
  return id ? `deployment ${id}` : 'a deployment';
}

const epoch = (value: Date | undefined) => (value ? new Date(value).getTime() : 0);
