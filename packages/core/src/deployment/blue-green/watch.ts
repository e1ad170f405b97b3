import { shortTaskDefinition } from '../../common/identifiers';
import { findServiceDeployment } from '../../ecs/find-service-deployment';
import { watchServiceDeployment } from '../../ecs/service-deployment-watch';
import type { WatchOutcome } from '../../ecs/watch-loop';
import type { DeploymentToWatch, MechanismContext, WatchSettings } from '../mechanism';

/**
 * Follows the deployment's service deployment to the verdict, or to the stage wait-until asks for. A deployment
 * adopted without its ARN has it found first, as a started one has (by creation time and target revision).
 */
export async function watchStrategyDeployment(
  deployment: DeploymentToWatch,
  settings: WatchSettings,
  context: MechanismContext,
): Promise<WatchOutcome> {
  const serviceDeploymentArn = deployment.serviceDeploymentArn ?? (await findFor(deployment, settings, context));
  return watchServiceDeployment(
    {
      cluster: settings.cluster,
      service: settings.service,
      startedAt: deployment.startedAt,
      knownEventIds: deployment.knownEventIds,
      timeoutMs: settings.timeoutMs,
      serviceDeploymentArn,
      deploymentId: deployment.deploymentId,
      stoppedBefore: deployment.stoppedBefore,
      failedTasksThreshold: settings.failedTasksThreshold,
      goal: { waitUntil: settings.waitUntil, expect: deployment.expect },
    },
    context,
  );
}

async function findFor(deployment: DeploymentToWatch, settings: WatchSettings, context: MechanismContext): Promise<string> {
  const ours = deployment.service.deployments?.find((d) => d.id === deployment.deploymentId);
  const taskDefinitionArn = ours?.taskDefinition ?? deployment.service.taskDefinition;
  const found = taskDefinitionArn
    ? await findServiceDeployment(
        context.ecs,
        { cluster: settings.cluster, service: settings.service, taskDefinitionArn, since: deployment.startedAt },
        context,
      )
    : undefined;
  if (!found?.serviceDeploymentArn) {
    throw new Error(
      `No service deployment of ${shortTaskDefinition(taskDefinitionArn)} created with deployment ${deployment.deploymentId} is listed: it cannot be followed.`,
    );
  }
  return found.serviceDeploymentArn;
}
