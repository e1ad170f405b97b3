import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { readCodeDeployDeployment, type CodeDeployDeploymentRead } from '../../codedeploy/read-deployment';
import { taskSetLabelled } from '../../codedeploy/stages';
import type { StartedDeployment } from '../mechanism';
import { deployedRevision } from './deployed-revision';
import type { ServingRevision } from '../../ecs/serving-revision';
import { taskDefinitionOf } from './watch';

export interface FollowedCodeDeployDeployment {
  started: StartedDeployment;
  /** The revision it deploys: its AppSpec's TaskDefinition, or its replacement task set's. */
  taskDefinitionArn: string;
  /**
   * What served before it: the revision its original (Blue) task set runs while the service still has that task set.
   * Once CodeDeploy has terminated it, unknown (never the revision being deployed, which the service runs by then).
   */
  previous: ServingRevision;
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
  log.info(
    `Following CodeDeploy deployment ${deploymentId} of ${shortTaskDefinition(taskDefinitionArn)} (${read.deployment.status}); nothing is created.`,
  );
  return {
    taskDefinitionArn,
    previous: servedBefore(read, service),
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

/**
 * The revision the deployment's original (Blue) task set runs, while the service lists that task set. A deployment
 * that rerouted production and ended has terminated it: the service then runs only the revision being deployed, and
 * what served before is not known from here (the step that created the deployment output it).
 */
function servedBefore(read: CodeDeployDeploymentRead, service: Service): ServingRevision {
  const blue = taskSetLabelled(read.target, 'Blue');
  const original = taskDefinitionOf(blue, service);
  if (original) return { taskDefinitionArn: original, evidence: `the deployment's original task set ${blue?.identifer} runs it` };
  return {
    evidence: `the service no longer lists the original task set of CodeDeploy deployment ${read.deploymentId} (${read.deployment.status}; CodeDeploy terminates it once production is rerouted and the termination wait is over), so what served before it is not known here; the step that created the deployment output it as its previous-task-definition-arn`,
  };
}
