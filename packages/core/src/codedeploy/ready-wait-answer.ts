import { ContinueDeploymentCommand, StopDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { withoutSdkRetries } from '../common/aws';
import { ActionFailure } from '../common/errors';
import { answerGate, type GateAnswer } from '../common/gate-answer';
import type { RetryContext } from '../common/retry';
import type { CodeDeployDeploymentRead } from './read-deployment';
import { whatBecameOfReadyWait } from './ready-wait';
import { isFinalDeploymentStatus } from './statuses';

/** continue: ContinueDeployment READY_WAIT (production traffic moves); stop: StopDeployment with autoRollbackEnabled. */
export type ReadyWaitAction = 'continue' | 'stop';

/** CodeDeploy refused the answer for want of the permission named: the step fails with it, as the ECS gate's does. */
export class ReadyWaitAnswerDenied extends ActionFailure {}

/**
 * Answers a CodeDeploy deployment's ready wait: ContinueDeployment READY_WAIT when the release is healthy, StopDeployment
 * with autoRollbackEnabled when it is not. CodeDeploy takes a ContinueDeployment only while the deployment is Ready
 * (DeploymentIsNotInReadyStateException otherwise), and a StopDeployment while it has not ended
 * (DeploymentAlreadyCompletedException): a stop still applies to a deployment someone continued meanwhile, since the
 * release it moves to production was found unhealthy. Every retry re-reads the deployment first (answerGate).
 */
export async function answerReadyWait(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  action: ReadyWaitAction,
  reread: () => Promise<CodeDeployDeploymentRead | undefined>,
  retry: RetryContext,
): Promise<GateAnswer> {
  const continuing = action === 'continue';
  const label = continuing
    ? `ContinueDeployment (READY_WAIT) of CodeDeploy deployment ${deploymentId}`
    : `StopDeployment (autoRollbackEnabled) of CodeDeploy deployment ${deploymentId}`;
  const permission = continuing ? 'codedeploy:ContinueDeployment' : 'codedeploy:StopDeployment';
  return answerGate<CodeDeployDeploymentRead>(
    {
      label,
      service: 'CodeDeploy',
      send: () =>
        continuing
          ? codedeploy.send(withoutSdkRetries(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' })))
          : codedeploy.send(withoutSdkRetries(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }))),
      reread,
      tookEffect: (read) => (continuing ? continued(read) : stopped(read)),
      stillAwaiting: (read) => (continuing ? read.deployment.status === 'Ready' : !isFinalDeploymentStatus(read.deployment.status)),
      whatBecame: whatBecameOfReadyWait,
      stillWaiting: stillWaiting(deploymentId, action),
      denied: (refusal) =>
        new ReadyWaitAnswerDenied(
          `${label} was refused (${refusal}): grant the role ${permission} so verify-health can answer the deployment's ready wait. ${stillWaiting(deploymentId, action)}`,
        ),
    },
    retry,
  );
}

/**
 * Past Ready and not stopped: only ContinueDeployment READY_WAIT moves a Ready deployment on, since CodeDeploy stops
 * one nobody continued (deploymentReadyOption STOP_DEPLOYMENT).
 */
function continued(read: CodeDeployDeploymentRead): boolean {
  const status = read.deployment.status;
  return status === 'InProgress' || status === 'Baking' || status === 'Succeeded';
}

/** Stopped, and not by CodeDeploy's own ready-wait timeout. */
function stopped(read: CodeDeployDeploymentRead): boolean {
  return read.deployment.status === 'Stopped' && read.deployment.errorInformation?.code !== 'TIMEOUT';
}

/** What a deployment this step leaves unanswered does. */
export function stillWaiting(deploymentId: string, action: ReadyWaitAction): string {
  if (action === 'continue')
    return `CodeDeploy deployment ${deploymentId} stays Ready, production traffic on the original task set, until someone calls ContinueDeployment (READY_WAIT) or its ready wait ends and CodeDeploy stops it.`;
  return `CodeDeploy deployment ${deploymentId} goes on unless someone stops it (StopDeployment), or its ready wait ends and CodeDeploy stops it.`;
}
