/**
 * A rollback deployment (CodeDeploy user guide, "Redeploy and roll back a deployment with CodeDeploy": a rollback
 * is a new deployment, creator codeDeployRollback, named in the triggering one's rollbackInfo). For ECS it moves
 * production and test traffic back to the original task set and deletes the replacement: here it walks the same
 * lifecycle with the original task set as the one to route to (no new task set is created), all at once, and no
 * termination wait (*unconfirmed*: how CodeDeploy reports a rollback's events and task sets, and its messages).
 */
import type { Context } from '../context';
import type { TaskSetRecord } from '../ecs/state';
import { newDeployment } from './new-deployment';
import { serviceOf, taskSetOf } from './resolve';
import type { DeploymentRecord } from './state';
import { normalizeRevision } from './revisions';

function revisionOf(original: TaskSetRecord | undefined, deployment: DeploymentRecord) {
  const lb = original?.loadBalancers[0];
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: original?.taskDefinitionArn ?? deployment.appSpec.taskDefinition,
            LoadBalancerInfo: {
              ContainerName: lb?.containerName ?? deployment.appSpec.containerName,
              ContainerPort: lb?.containerPort ?? deployment.appSpec.containerPort,
            },
          },
        },
      },
    ],
  });
  return normalizeRevision({ revisionType: 'AppSpecContent', appSpecContent: { content } });
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
    revision: revisionOf(original, triggering),
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
