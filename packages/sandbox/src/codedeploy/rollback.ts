/**
 * A rollback deployment (CodeDeploy user guide, "Redeploy and roll back a deployment with CodeDeploy": a rollback
 * is a new deployment, creator codeDeployRollback, named in the triggering one's rollbackInfo, and the rollback
 * names the triggering one in its own rollbackInfo.rollbackTriggeringDeploymentId). For ECS it moves production and
 * test traffic back to the original task set and deletes the replacement: here it walks the same lifecycle with the
 * original task set as the one to route to (no new task set is created), all at once, and no termination wait
 * (*unconfirmed*: how CodeDeploy reports a rollback's events and task sets, and its messages).
 * Its revision: "the last known good version of an application revision is deployed" (same page, Automatic
 * rollbacks), the revision of the group's last successful deployment. A group that never had one (the service's
 * first revision came from CreateService, not from CodeDeploy) has no such revision, and the rollback shows none
 * (*unconfirmed* what CodeDeploy shows then): where it returns to is told by the triggering deployment's original
 * (Blue) task set, not by a revision the sandbox would make up.
 */
import type { Context } from '../context';
import { newDeployment } from './new-deployment';
import { serviceOf, taskSetOf } from './resolve';
import { groupKey, type DeploymentRecord } from './state';

/** The revision of the group's last successful deployment, if it had one. */
function lastKnownGood(ctx: Context, triggering: DeploymentRecord): DeploymentRecord['revision'] {
  const group = ctx.codedeploy.deploymentGroups.get(groupKey(triggering.applicationName, triggering.deploymentGroupName));
  const last = group?.lastSuccessfulDeployment;
  return last ? ctx.codedeploy.deployments.get(last.deploymentId)?.revision : undefined;
}

export function startRollback(ctx: Context, triggering: DeploymentRecord): void {
  const service = serviceOf(ctx, triggering);
  const original = taskSetOf(service, triggering.originalTaskSetId);
  // Stopped before it started (or its original task set is gone): there is nothing to route back to.
  if (!original) return;
  const replacement = taskSetOf(service, triggering.replacementTaskSetId);
  const lb = original?.loadBalancers[0];
  const rollback = newDeployment(ctx, {
    applicationName: triggering.applicationName,
    deploymentGroupName: triggering.deploymentGroupName,
    deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    creator: 'codeDeployRollback',
    revision: lastKnownGood(ctx, triggering),
    appSpec: {
      taskDefinition: original?.taskDefinitionArn ?? triggering.appSpec.taskDefinition,
      containerName: String(lb?.containerName ?? triggering.appSpec.containerName),
      containerPort: Number(lb?.containerPort ?? triggering.appSpec.containerPort),
      // *unconfirmed*: whether a rollback runs the hooks again.
      hooks: {},
    },
    autoRollbackConfiguration: { enabled: false, events: [] },
    alarmConfiguration: structuredClone(triggering.alarmConfiguration),
    blueGreenDeploymentConfiguration: {
      ...structuredClone(triggering.blueGreenDeploymentConfiguration),
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
    },
    loadBalancerInfo: structuredClone(triggering.loadBalancerInfo),
    rollbackInfo: { rollbackTriggeringDeploymentId: triggering.deploymentId },
    rollbackTo: {
      taskSetId: original.id,
      removeTaskSetId: replacement?.id,
      blueTargetGroupArn: triggering.greenTargetGroupArn,
      greenTargetGroupArn: triggering.blueTargetGroupArn,
    },
    cluster: triggering.target.cluster,
    service: triggering.target.service,
  });
  // Production is where the triggering deployment left it: the original's share is the rest.
  rollback.productionWeight = 100 - triggering.productionWeight;
  triggering.rollbackInfo = {
    rollbackDeploymentId: rollback.deploymentId,
    rollbackMessage: `Deployment ${triggering.deploymentId} ${triggering.status === 'Stopped' ? 'was stopped' : 'failed'} and is being rolled back by deployment ${rollback.deploymentId}.`,
  };
}
