import { GetDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service, TaskSet } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import type { ServingRevision } from '../../ecs/serving-revision';
import { epochMs } from '../../ecs/times';
import type { MechanismContext } from '../mechanism';
import { deployedRevision } from './deployed-revision';
import { isCodeDeployPlan, type CodeDeployPlan } from './group-check';

/**
 * The revision serving production when the step starts, on a CODE_DEPLOY service: the original task set (the PRIMARY
 * one, or with a deployment in flight the oldest) when it is steady and the group's last deployment either succeeded
 * or left it in place (it was created before that deployment: a failed or stopped one that rolled back, or never
 * rerouted, left the original serving). Otherwise (a deployment that failed after rerouting and left its replacement
 * PRIMARY) the revision of the group's last successful deployment. Never a revision no deployment is known to have
 * brought to a steady state.
 */
export async function codeDeployServingRevision(
  service: Service,
  context: Pick<MechanismContext, 'codedeploy'>,
  found: readonly unknown[] = [],
): Promise<ServingRevision> {
  const plan = found.find(isCodeDeployPlan);
  const original = originalTaskSet(service);
  const lastAttempted = plan?.group.lastAttemptedDeployment;
  const steady = original?.stabilityStatus === 'STEADY_STATE' && original.taskDefinition;
  const leftInPlace =
    !plan || !lastAttempted || lastAttempted.status === 'Succeeded' || epochMs(original?.createdAt) < epochMs(lastAttempted.createTime);
  if (original && steady && leftInPlace) {
    const after = lastAttempted ? `; the group's last deployment ${lastAttempted.deploymentId} ${lastAttempted.status}` : '';
    return {
      taskDefinitionArn: original.taskDefinition,
      evidence: `task set ${original.id} (${original.status}, STEADY_STATE) runs it${after}`,
    };
  }
  const fromLastSuccess = plan && context.codedeploy ? await lastSuccessfulRevision(context.codedeploy, plan) : undefined;
  if (fromLastSuccess?.taskDefinitionArn) return fromLastSuccess;
  const why = !original
    ? 'the service lists no task set'
    : !steady
      ? `its original task set ${original.id} of ${shortTaskDefinition(original.taskDefinition)} is ${original.stabilityStatus ?? 'not steady'}`
      : `task set ${original.id} of ${shortTaskDefinition(original.taskDefinition)} was created by deployment ${lastAttempted?.deploymentId}, which ${lastAttempted?.status}`;
  const unread = fromLastSuccess
    ? `, and the revision of its last successful deployment could not be read: ${fromLastSuccess.evidence}`
    : '';
  return { evidence: `${why}${unread || ', and the deployment group names no successful deployment whose revision can be read'}` };
}

/** The task set serving before any deployment in flight: the PRIMARY one when alone, else the oldest. */
function originalTaskSet(service: Service): TaskSet | undefined {
  const taskSets = service.taskSets ?? [];
  if (taskSets.length <= 1) return taskSets.find((t) => t.status === 'PRIMARY') ?? taskSets[0];
  return [...taskSets].sort((a, b) => epochMs(a.createdAt) - epochMs(b.createdAt))[0];
}

/** The revision of the group's last successful deployment; without it, why (a refused GetApplicationRevision) in `evidence`. */
async function lastSuccessfulRevision(codedeploy: CodeDeployClient, plan: CodeDeployPlan): Promise<ServingRevision | undefined> {
  const last = plan.group.lastSuccessfulDeployment;
  if (!last?.deploymentId) return undefined;
  try {
    const answer = await codedeploy.send(new GetDeploymentCommand({ deploymentId: last.deploymentId }));
    const deployed = answer.deploymentInfo ? await deployedRevision(codedeploy, answer.deploymentInfo) : {};
    if (deployed.taskDefinitionArn)
      return {
        taskDefinitionArn: deployed.taskDefinitionArn,
        evidence: `the deployment group's last successful deployment ${last.deploymentId} deployed it`,
      };
    return deployed.unreadable ? { evidence: `deployment ${last.deploymentId}: ${deployed.unreadable}` } : undefined;
  } catch {
    return undefined;
  }
}
