import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { readCodeDeployDeployment } from '../../codedeploy/read-deployment';
import { taskSetLabelled } from '../../codedeploy/stages';
import { shortTaskDefinition } from '../../common/identifiers';
import { epochMs } from '../../ecs/times';
import type { MechanismContext, UnchangedStanding } from '../mechanism';
import { isCodeDeployPlan } from './group-check';
import { deployedRevision } from './deployed-revision';
import { deploymentsInFlight } from './in-flight';
import { codeDeployNames } from './settings';
import { codeDeployClientOf } from './start';
import { taskDefinitionOf } from './watch';

/** The revision a deployment's replacement (Green) task set runs: what it deploys, when its AppSpec cannot be read. */
async function replacementRevision(codedeploy: CodeDeployClient, deploymentId: string, service: Service): Promise<string | undefined> {
  const cluster = service.clusterArn ?? '';
  const read = await readCodeDeployDeployment(codedeploy, { deploymentId, cluster, service: service.serviceName ?? '' });
  return taskDefinitionOf(taskSetLabelled(read.target, 'Green'), service);
}

/**
 * Where a CODE_DEPLOY service stands when it already runs the revision (its PRIMARY task set's): settled when that
 * task set is alone, STEADY_STATE and at its desired count, and the group has no deployment in flight; a deployment
 * of the revision in flight is watched; anything else is not settled, and the step says so rather than call it green.
 */
export async function codeDeployUnchanged(
  service: Service,
  context: MechanismContext,
  found: readonly unknown[] = [],
): Promise<UnchangedStanding> {
  const revision = shortTaskDefinition(service.taskDefinition);
  const names = found.find(isCodeDeployPlan)?.names ?? codeDeployNames(service.clusterArn ?? '', service.serviceName ?? '');
  const codedeploy = codeDeployClientOf(context);
  const [inFlight] = await deploymentsInFlight(codedeploy, names);
  if (inFlight?.deploymentId) {
    const deployed = await deployedRevision(codedeploy, inFlight);
    const target = deployed.taskDefinitionArn ?? (await replacementRevision(codedeploy, inFlight.deploymentId, service));
    if (!target && deployed.unreadable)
      context.log.warning(`The revision of CodeDeploy deployment ${inFlight.deploymentId} is unknown: ${deployed.unreadable}.`);
    if (target === service.taskDefinition) {
      const startedAt = inFlight.createTime ? epochMs(inFlight.createTime) : context.clock.now();
      return {
        state: 'in-progress',
        message: `The service already runs ${revision}, and CodeDeploy deployment ${inFlight.deploymentId} of it is still ${inFlight.status} (started before this step): watching it instead of deploying again.`,
        started: {
          deploymentId: inFlight.deploymentId,
          codeDeployDeploymentId: inFlight.deploymentId,
          startedAt,
          service,
          knownEventIds: (service.events ?? []).filter((e) => epochMs(e.createdAt) < startedAt).flatMap((e) => (e.id ? [e.id] : [])),
          stoppedBefore: [],
        },
      };
    }
    return {
      state: 'failed',
      deploymentId: inFlight.deploymentId,
      message:
        `The service's PRIMARY task set runs ${revision}, the revision this step would deploy, but CodeDeploy deployment ${inFlight.deploymentId}${target ? ` of ${shortTaskDefinition(target)}` : ''} is ${inFlight.status} in deployment group "${names.deploymentGroup}": ` +
        `nothing was deployed. Wait for it to end, follow it with codedeploy-deployment-id (${inFlight.deploymentId}), or stop it; then deploy again.`,
    };
  }
  const taskSets = service.taskSets ?? [];
  const primary = taskSets.find((t) => t.status === 'PRIMARY');
  const counts = primary ? `${primary.runningCount ?? 0}/${primary.computedDesiredCount ?? 0} running` : '';
  if (
    primary &&
    taskSets.length === 1 &&
    primary.stabilityStatus === 'STEADY_STATE' &&
    primary.runningCount === primary.computedDesiredCount
  ) {
    return {
      state: 'settled',
      message: `The service is settled on ${revision} (PRIMARY task set ${primary.id}, STEADY_STATE, ${counts}): nothing to deploy.`,
    };
  }
  const standing = primary
    ? `its PRIMARY task set ${primary.id} is ${primary.stabilityStatus ?? 'of unknown stability'} (${counts}${taskSets.length > 1 ? `, beside ${taskSets.length - 1} other task set${taskSets.length > 2 ? 's' : ''}` : ''})`
    : 'it lists no PRIMARY task set';
  return {
    state: 'failed',
    message:
      `The service already runs ${revision}, but ${standing}, and no CodeDeploy deployment is in flight to bring it further: nothing was deployed, and the service is not known to be healthy on it. ` +
      `Set force-new-deployment: true to deploy ${revision} again through CodeDeploy, or deploy a fixed image.`,
  };
}
