import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { readCodeDeployDeployment } from '../../codedeploy/read-deployment';
import { taskSetLabelled } from '../../codedeploy/stages';
import type { StartedDeployment } from '../mechanism';
import { deployedRevision } from './deployed-revision';
import { taskDefinitionOf } from './watch';

export interface FollowedCodeDeployDeployment {
  started: StartedDeployment;
  /** The revision it deploys: its AppSpec's TaskDefinition, or its replacement task set's. */
  taskDefinitionArn: string;
  /** The revision its original (Blue) task set runs, when CodeDeploy still lists it: what was serving before it. */
  originalTaskDefinitionArn?: string;
}

/**
 * The CodeDeploy deployment codedeploy-deployment-id names, to follow as if this step had created it (e.g. after
 * verify-health continued its Ready gate): what it deploys and what its original task set runs. Nothing is created.
 */
export async function followCodeDeployDeployment(
  codedeploy: CodeDeployClient,
  request: { cluster: string; service: string; deploymentId: string },
  service: Service,
  { clock, log }: { clock: Clock; log: Logger },
): Promise<FollowedCodeDeployDeployment> {
  const { deploymentId } = request;
  // That it exists and deploys this service, the pre-flight check said (followedDeploymentCheck).
  const read = await readCodeDeployDeployment(codedeploy, request);
  const green = taskSetLabelled(read.target, 'Green');
  const deployed = await deployedRevision(codedeploy, read.deployment);
  const taskDefinitionArn = deployed.taskDefinitionArn ?? taskDefinitionOf(green, service);
  if (!taskDefinitionArn)
    throw new Error(
      `CodeDeploy deployment ${deploymentId} names no task definition to follow${deployed.unreadable ? `: ${deployed.unreadable}` : ''}.`,
    );
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
