import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { withoutSdkRetries } from '../common/aws';
import { ecsTargetId } from './target';

/** One look at a CodeDeploy deployment of an ECS service: the deployment, and its one target when CodeDeploy lists it. */
export interface CodeDeployDeploymentRead {
  deploymentId: string;
  deployment: DeploymentInfo;
  /** Absent until CodeDeploy has created the target (just after CreateDeployment) or when it names no such target. */
  target?: ECSTarget;
}

export interface ReadOptions {
  /**
   * false for a read in a poll loop: the next tick is its retry, and the SDK's backoff would only make the watcher
   * late. A transient error then throws for the loop to skip the round.
   */
  sdkRetries?: boolean;
}

/**
 * Reads the deployment (GetDeployment) and its ECS target (GetDeploymentTarget, target `<cluster>:<service>`):
 * status, errorInformation and rollbackInfo come from the first, lifecycle events and task sets with their traffic
 * weights from the second. Both calls are made on every read, so the two halves are never from different polls.
 */
export async function readCodeDeployDeployment(
  codedeploy: CodeDeployClient,
  request: { deploymentId: string; cluster: string; service: string },
  options: ReadOptions = {},
): Promise<CodeDeployDeploymentRead> {
  const send = <C extends GetDeploymentCommand | GetDeploymentTargetCommand>(command: C) =>
    options.sdkRetries === false ? withoutSdkRetries(command) : command;
  const targetId = ecsTargetId(request.cluster, request.service);
  const [deploymentAnswer, target] = await Promise.all([
    codedeploy.send(send(new GetDeploymentCommand({ deploymentId: request.deploymentId }))),
    codedeploy
      .send(send(new GetDeploymentTargetCommand({ deploymentId: request.deploymentId, targetId })))
      .then((answer) => answer.deploymentTarget?.ecsTarget)
      .catch((error: unknown) => {
        // Until CodeDeploy has made the target (a deployment just Created) it answers that it does not exist.
        if ((error as Error).name === 'DeploymentTargetDoesNotExistException') return undefined;
        throw error;
      }),
  ]);
  const deployment = deploymentAnswer.deploymentInfo;
  if (!deployment) throw new Error(`GetDeployment answered no deployment for ${request.deploymentId}.`);
  return { deploymentId: request.deploymentId, deployment, ...(target ? { target } : {}) };
}
