import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { readCodeDeployDeployment } from '../../codedeploy/read-deployment';
import { taskSetLabelled } from '../../codedeploy/stages';
import { ecsTargetId } from '../../codedeploy/target';
import type { StartedDeployment } from '../mechanism';
import { deployedTaskDefinition } from './in-flight';
import { taskDefinitionOf } from './watch';

const INPUT = 'codedeploy-deployment-id';

export interface FollowedCodeDeployDeployment {
  started: StartedDeployment;
  /** The revision it deploys: its AppSpec's TaskDefinition, or its replacement task set's. */
  taskDefinitionArn: string;
  /** The revision its original (Blue) task set runs, when CodeDeploy still lists it: what was serving before it. */
  originalTaskDefinitionArn?: string;
}

/**
 * The CodeDeploy deployment codedeploy-deployment-id names, to follow as if this step had created it (e.g. after
 * verify-health continued its Ready gate): it must exist and be a deployment of this service (its target
 * `<cluster>:<service>`). Nothing is created.
 */
export async function followCodeDeployDeployment(
  codedeploy: CodeDeployClient,
  request: { cluster: string; service: string; deploymentId: string },
  service: Service,
  { clock, log }: { clock: Clock; log: Logger },
): Promise<FollowedCodeDeployDeployment> {
  const { deploymentId } = request;
  let read;
  try {
    read = await readCodeDeployDeployment(codedeploy, request);
  } catch (error) {
    if ((error as Error).name !== 'DeploymentDoesNotExistException') throw error;
    throw new ConfigurationError(
      `Input '${INPUT}': CodeDeploy does not know deployment ${deploymentId} in this account and region. Give deploy-ecs's codedeploy-deployment-id output of the run that created it.`,
      INPUT,
    );
  }
  if (!read.target && read.deployment.status !== 'Created') {
    throw new ConfigurationError(
      `Input '${INPUT}': CodeDeploy deployment ${deploymentId} (application "${read.deployment.applicationName}", deployment group "${read.deployment.deploymentGroupName}") has no target ${ecsTargetId(request.cluster, request.service)}: it does not deploy this service. Give the service it deploys.`,
      INPUT,
    );
  }
  const green = taskSetLabelled(read.target, 'Green');
  const taskDefinitionArn = deployedTaskDefinition(read.deployment) ?? taskDefinitionOf(green, service);
  if (!taskDefinitionArn) throw new Error(`CodeDeploy deployment ${deploymentId} names no task definition to follow.`);
  const originalTaskDefinitionArn = taskDefinitionOf(taskSetLabelled(read.target, 'Blue'), service);
  log.info(
    `Following CodeDeploy deployment ${deploymentId} of ${shortTaskDefinition(taskDefinitionArn)} (${read.deployment.status}); nothing is created.`,
  );
  return {
    taskDefinitionArn,
    ...(originalTaskDefinitionArn ? { originalTaskDefinitionArn } : {}),
    started: {
      deploymentId,
      codeDeployDeploymentId: deploymentId,
      startedAt: clock.now(),
      service,
      knownEventIds: (service.events ?? []).flatMap((event) => (event.id ? [event.id] : [])),
      stoppedBefore: [],
    },
  };
}
