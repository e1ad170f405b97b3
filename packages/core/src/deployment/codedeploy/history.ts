import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { shortTaskDefinition } from '../../common/identifiers';
import { readCodeDeployDeployment, taskSetLabelled } from '../../codedeploy';
import type { CompletedRevision, CurrentDeployment, DeploymentHistory } from '../../ecs/deployment-history';
import type { MechanismContext, RollBackRequest } from '../mechanism';
import { isInFlight, isRollbackDeployment, listGroupDeployments } from './group-history';
import { deployedRevisions, type DeployedRevision } from './deployed-revision';
import { originalTaskDefinition } from './original-task-set';
import { rollbackPlanOf } from './rollback-deployment';
import { servingTaskDefinition } from './serving-task-definition';
import type { CodeDeployNames } from './settings';
import { codeDeployClientOf } from './start';
import { describeService } from '../../ecs/service';
import { taskDefinitionOf } from './watch';

// Far beyond any revision worth returning to; the group's newest deployments are read, described and sorted.
const HISTORY_LIMIT = 100;
// The Succeeded deployments whose revisions are read at a time, newest first, until the ones the history needs are found.
const SUCCEEDED_WINDOW = 10;

/**
 * A CODE_DEPLOY service's deployment history, from its deployment group's CodeDeploy deployments (ListDeployments,
 * BatchGetDeployments): the release is the newest deployment (for a rollback deployment CodeDeploy runs, the one it
 * rolls back), and the revision to return to is the newest one a Succeeded deployment put in production, other than
 * the release's: a deployment that failed, was stopped or is still under way never proves a revision worked, and
 * ECS's own service deployments and deployments list do not cover task sets. The revisions come from the
 * deployments' AppSpecs (their TaskDefinition, see deployedRevision). A Succeeded deployment whose revision cannot be
 * read (GetApplicationRevision refused or failing) ends the search: an older revision is never chosen past a newer
 * one that worked, and the history says why none was (`unreadable`), with a warning when `log` is given.
 * A rollback deployment CodeDeploy runs (creator codeDeployRollback) reroutes production to the original task set of
 * the deployment it rolls back (rollbackInfo.rollbackTriggeringDeploymentId): while it is under way it heads to that
 * task set's revision, read from the triggering deployment's Blue task set, not from the rollback's own revision,
 * which is the group's last known good one and which a service whose first revision came from CreateService has not.
 * `readAgain` describes the service once the deployments are read: a deployment listed as ended has already removed
 * the task set it replaced, which a service described before the listing may still show.
 */
export async function readCodeDeployHistory(
  codedeploy: CodeDeployClient,
  names: CodeDeployNames,
  described: Service,
  log?: Logger,
  readAgain?: () => Promise<Service>,
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
  const service = readAgain ? await readAgain() : described;
  const serving = servingTaskDefinition(service);
  const newest = deployments[0];
  if (!newest) return { source: 'codedeploy-deployments', destination: serving };
  const release = isRollbackDeployment(newest) ? triggeringOf(newest, deployments) : newest;
  const revisions = await deployedRevisions(codedeploy, release ? [newest, release] : [newest]);
  const revisionOf = (deployment: DeploymentInfo | undefined) => (deployment ? revisions.get(deployment)?.taskDefinitionArn : undefined);
  // CodeDeploy's rollback under way: the original task set of the deployment it rolls back.
  const returningTo =
    isInFlight(newest) && isRollbackDeployment(newest) ? await returnsTo(codedeploy, newest.rollbackInfo, service) : undefined;
  const newestRevision = returningTo ?? revisionOf(newest);
  // A deployment under way whose AppSpec content GetDeployment did not return: the revision of the task set it
  // moves traffic to (its Green one).
  const underWay = isInFlight(newest) && !newestRevision ? await movingTo(codedeploy, newest, service) : undefined;
  const releaseTarget = revisionOf(release) ?? (release === newest ? underWay : undefined);
  const current = currentOf(newest, { release, releaseTarget, serving, underWay, newestRevision });
  // A task set being deleted (DRAINING) takes no traffic.
  const live = (service.taskSets ?? []).filter((taskSet) => taskSet.status !== 'DRAINING');
  const succeeded = deployments.filter((deployment) => deployment.status === 'Succeeded');
  const { previous, lastCompleted, unreadable } = await completedRevisions(codedeploy, succeeded, newest, releaseTarget);
  if (unreadable && !previous)
    log?.warning(`The revision to return to cannot be chosen from the deployment group's history: ${unreadable}.`);
  return {
    source: 'codedeploy-deployments',
    current,
    ...(previous ? { previous } : {}),
    ...(lastCompleted ? { lastCompleted } : {}),
    ...(unreadable && !previous ? { unreadable } : {}),
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

/**
 * The revision a rollback deployment under way returns production to: the original (Blue) task set of the deployment
 * it rolls back (GetDeploymentTarget of rollbackInfo.rollbackTriggeringDeploymentId), when it can be read.
 */
async function returnsTo(
  codedeploy: CodeDeployClient,
  rollbackInfo: DeploymentInfo['rollbackInfo'],
  service: Service,
): Promise<string | undefined> {
  const triggering = rollbackInfo?.rollbackTriggeringDeploymentId;
  if (!triggering || !service.clusterArn || !service.serviceName) return undefined;
  const read = await readCodeDeployDeployment(codedeploy, {
    deploymentId: triggering,
    cluster: service.clusterArn,
    service: service.serviceName,
  }).catch(() => undefined);
  return read?.target ? originalTaskDefinition(service, read) : undefined;
}

/** The deployment a rollback deployment rolls back (rollbackInfo.rollbackTriggeringDeploymentId), when listed. */
function triggeringOf(rollback: DeploymentInfo, deployments: DeploymentInfo[]): DeploymentInfo | undefined {
  const id = rollback.rollbackInfo?.rollbackTriggeringDeploymentId;
  return deployments.find((deployment) => deployment.deploymentId === id);
}

/**
 * The Succeeded deployments' revisions, newest first, read a window at a time: `previous`, the newest other than the
 * release's, and `lastCompleted`, the newest of a deployment other than `newest`. A revision that cannot be read
 * stops the search with the reason.
 */
async function completedRevisions(
  codedeploy: CodeDeployClient,
  succeeded: DeploymentInfo[],
  newest: DeploymentInfo,
  releaseTarget: string | undefined,
): Promise<{ previous?: CompletedRevision; lastCompleted?: CompletedRevision; unreadable?: string }> {
  let previous: CompletedRevision | undefined;
  let lastCompleted: CompletedRevision | undefined;
  for (let at = 0; at < succeeded.length && !(previous && lastCompleted); at += SUCCEEDED_WINDOW) {
    const window = succeeded.slice(at, at + SUCCEEDED_WINDOW);
    const revisions = await deployedRevisions(codedeploy, window);
    for (const deployment of window) {
      const read = revisions.get(deployment) as DeployedRevision;
      if (read.unreadable)
        return { ...(previous ? { previous } : {}), ...(lastCompleted ? { lastCompleted } : {}), unreadable: read.unreadable };
      const revision = completedRevision(deployment, read.taskDefinitionArn);
      if (!revision) continue;
      if (!previous && revision.taskDefinitionArn !== releaseTarget) previous = revision;
      if (!lastCompleted && deployment !== newest) lastCompleted = revision;
      if (previous && lastCompleted) break;
    }
  }
  return { ...(previous ? { previous } : {}), ...(lastCompleted ? { lastCompleted } : {}) };
}

function currentOf(
  newest: DeploymentInfo,
  known: {
    release: DeploymentInfo | undefined;
    releaseTarget: string | undefined;
    serving: string | undefined;
    underWay: string | undefined;
    newestRevision: string | undefined;
  },
): CurrentDeployment {
  const { release, releaseTarget, serving, underWay, newestRevision } = known;
  const inFlight = isInFlight(newest);
  const rollback = isRollbackDeployment(newest);
  // Where the newest deployment leaves the service: its revision while under way (unknown when it cannot be read) or
  // once Succeeded; after a failure or a stop, the task set left serving production.
  const leavesOn = inFlight ? (newestRevision ?? underWay) : newest.status === 'Succeeded' ? (newestRevision ?? serving) : serving;
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

function completedRevision(deployment: DeploymentInfo, taskDefinitionArn: string | undefined): CompletedRevision | undefined {
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
  request: Pick<RollBackRequest, 'cluster' | 'service' | 'region' | 'codeDeploy' | 'found'>,
  context: MechanismContext,
): Promise<DeploymentHistory> {
  const codedeploy = codeDeployClientOf(context);
  const plan = await rollbackPlanOf(request, codedeploy, service);
  const readAgain = () => describeService(context.ecs, request.cluster, request.service, request.region);
  return readCodeDeployHistory(codedeploy, plan.names, service, context.log, readAgain);
}
