import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import { readCodeDeployDeployment, taskSetLabelled } from '../../codedeploy';
import type { CompletedRevision, CurrentDeployment, DeploymentHistory } from '../../ecs/deployment-history';
import type { MechanismContext, RollBackRequest } from '../mechanism';
import { isInFlight, isRollbackDeployment, listGroupDeployments } from './group-history';
import { deployedTaskDefinition } from './in-flight';
import { rollbackPlanOf } from './rollback-deployment';
import type { CodeDeployNames } from './settings';
import { codeDeployClientOf } from './start';
import { taskDefinitionOf } from './watch';

const revisionOf = (deployment: DeploymentInfo | undefined) => (deployment ? deployedTaskDefinition(deployment) : undefined);

// Far beyond any revision worth returning to; the group's newest deployments are read, described and sorted.
const HISTORY_LIMIT = 100;

/**
 * The revision a CODE_DEPLOY service serves: its PRIMARY task set's (the original until production traffic moves to
 * the replacement, which then becomes PRIMARY). Service.taskDefinition follows the same task set.
 */
export function servingTaskDefinition(service: Service): string | undefined {
  return service.taskSets?.find((taskSet) => taskSet.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
}

/**
 * A CODE_DEPLOY service's deployment history, from its deployment group's CodeDeploy deployments (ListDeployments,
 * BatchGetDeployments): the release is the newest deployment (for a rollback deployment CodeDeploy runs, the one it
 * rolls back), and the revision to return to is the newest one a Succeeded deployment put in production, other than
 * the release's: a deployment that failed, was stopped or is still under way never proves a revision worked, and
 * ECS's own service deployments and deployments list do not cover task sets. The revisions come from the
 * deployments' AppSpecs (their TaskDefinition).
 */
export async function readCodeDeployHistory(
  codedeploy: CodeDeployClient,
  names: CodeDeployNames,
  service: Service,
): Promise<DeploymentHistory> {
  let deployments: DeploymentInfo[];
  try {
    deployments = await listGroupDeployments(codedeploy, names, { limit: HISTORY_LIMIT });
  } catch (error) {
    throw new Error(
      `Could not read the deployments of CodeDeploy deployment group ${names.deploymentGroup} (application ${names.application}): ` +
        `${(error as Error).name}: ${errorMessage(error)}. auto-rollback needs codedeploy:ListDeployments and codedeploy:BatchGetDeployments ` +
        'to find the deployment to stop and the last revision that succeeded. Nothing was changed.',
      { cause: error },
    );
  }
  const serving = servingTaskDefinition(service);
  const newest = deployments[0];
  if (!newest) return { source: 'codedeploy-deployments', destination: serving };
  const release = isRollbackDeployment(newest) ? triggeringOf(newest, deployments) : newest;
  // A deployment under way whose AppSpec content GetDeployment did not return: the revision of the task set it
  // moves traffic to (its Green one).
  const underWay = isInFlight(newest) && !revisionOf(newest) ? await movingTo(codedeploy, newest, service) : undefined;
  const releaseTarget = revisionOf(release) ?? (release === newest ? underWay : undefined);
  const current = currentOf(newest, release, releaseTarget, serving, underWay);
  // A task set being deleted (DRAINING) takes no traffic.
  const live = (service.taskSets ?? []).filter((taskSet) => taskSet.status !== 'DRAINING');
  const succeeded = deployments.filter((deployment) => deployment.status === 'Succeeded');
  const previous = succeeded
    .map((deployment) => completedRevision(deployment))
    .find((revision): revision is CompletedRevision => revision !== undefined && revision.taskDefinitionArn !== releaseTarget);
  const lastCompleted = succeeded
    .filter((deployment) => deployment !== newest)
    .map((deployment) => completedRevision(deployment))
    .find((revision) => revision !== undefined);
  return {
    source: 'codedeploy-deployments',
    current,
    ...(previous ? { previous } : {}),
    ...(lastCompleted ? { lastCompleted } : {}),
    // A deployment under way heads elsewhere than the serving revision even when its revision cannot be read: never
    // "already there" while it moves traffic. Once none is under way, the service is on its PRIMARY task set's
    // revision only when that task set is alone: a failed or stopped deployment (or CodeDeploy's failed rollback)
    // may leave a second one taking traffic (*unconfirmed* what CodeDeploy leaves then), which a new deployment of
    // the target settles.
    destination: current.inFlight
      ? (current.taskDefinitionArn ?? `the revision of CodeDeploy deployment ${newest.deploymentId}`)
      : live.length <= 1
        ? serving
        : `the ${live.length} task sets CodeDeploy deployment ${newest.deploymentId} left (${newest.status})`,
  };
}

/** The task definition of the task set a deployment moves traffic to (GetDeploymentTarget's Green), when ECS lists it. */
async function movingTo(codedeploy: CodeDeployClient, deployment: DeploymentInfo, service: Service): Promise<string | undefined> {
  if (!deployment.deploymentId || !service.clusterArn || !service.serviceName) return undefined;
  const read = await readCodeDeployDeployment(codedeploy, {
    deploymentId: deployment.deploymentId,
    cluster: service.clusterArn,
    service: service.serviceName,
  }).catch(() => undefined);
  return read ? taskDefinitionOf(taskSetLabelled(read.target, 'Green'), service) : undefined;
}

/** The deployment a rollback deployment rolls back (rollbackInfo.rollbackTriggeringDeploymentId), when listed. */
function triggeringOf(rollback: DeploymentInfo, deployments: DeploymentInfo[]): DeploymentInfo | undefined {
  const id = rollback.rollbackInfo?.rollbackTriggeringDeploymentId;
  return deployments.find((deployment) => deployment.deploymentId === id);
}

function currentOf(
  newest: DeploymentInfo,
  release: DeploymentInfo | undefined,
  releaseTarget: string | undefined,
  serving: string | undefined,
  underWay: string | undefined,
): CurrentDeployment {
  const inFlight = isInFlight(newest);
  const rollback = isRollbackDeployment(newest);
  // Where the newest deployment leaves the service: its revision while under way (unknown when it cannot be read) or
  // once Succeeded; after a failure or a stop, the task set left serving production.
  const leavesOn = inFlight ? (revisionOf(newest) ?? underWay) : newest.status === 'Succeeded' ? (revisionOf(newest) ?? serving) : serving;
  return {
    status: newest.status,
    taskDefinitionArn: leavesOn,
    targetTaskDefinitionArn: releaseTarget ?? (rollback ? undefined : leavesOn),
    createdAt: release?.createTime ?? newest.createTime,
    finishedAt: newest.completeTime,
    deploymentId: newest.deploymentId,
    inFlight,
    ...(rollback
      ? {
          ownRollback: `CodeDeploy rollback deployment ${newest.deploymentId} of deployment ${newest.rollbackInfo?.rollbackTriggeringDeploymentId ?? '(unknown)'}`,
        }
      : {}),
  };
}

function completedRevision(deployment: DeploymentInfo): CompletedRevision | undefined {
  const taskDefinitionArn = revisionOf(deployment);
  if (!taskDefinitionArn) return undefined;
  const at = deployment.completeTime ? ` at ${deployment.completeTime.toISOString()}` : '';
  const what = isRollbackDeployment(deployment)
    ? `CodeDeploy rollback deployment ${deployment.deploymentId} returned production to ${shortTaskDefinition(taskDefinitionArn)} and ended Succeeded`
    : `CodeDeploy deployment ${deployment.deploymentId} ended Succeeded`;
  return { taskDefinitionArn, finishedAt: deployment.completeTime, evidence: `${what}${at}` };
}

/** The mechanism's readHistory: the history of the service's deployment group (see readCodeDeployHistory). */
export async function readServiceCodeDeployHistory(
  service: Service,
  request: Pick<RollBackRequest, 'cluster' | 'service' | 'codeDeploy' | 'found'>,
  context: MechanismContext,
): Promise<DeploymentHistory> {
  const codedeploy = codeDeployClientOf(context);
  const plan = await rollbackPlanOf(request, codedeploy, service);
  return readCodeDeployHistory(codedeploy, plan.names, service);
}
