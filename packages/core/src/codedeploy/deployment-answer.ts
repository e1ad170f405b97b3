import { ContinueDeploymentCommand, StopDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { withoutSdkRetries } from '../common/aws';
import { ActionFailure } from '../common/errors';
import { answerGate, type GateAnswer } from '../common/gate-answer';
import type { RetryContext } from '../common/retry';
import type { CodeDeployDeploymentRead } from './read-deployment';
import { whatBecameOfReadyWait } from './ready-wait';
import { terminationWaitBegun } from './stages';
import { isFinalDeploymentStatus } from './statuses';

/**
 * continue: ContinueDeployment READY_WAIT (production traffic moves); end-termination-wait: ContinueDeployment
 * TERMINATION_WAIT (the original task set is terminated now); stop: StopDeployment with autoRollbackEnabled.
 */
export type CodeDeployAnswer = 'continue' | 'end-termination-wait' | 'stop';

/** CodeDeploy refused the answer for want of the permission named: the step fails with it, as the ECS gate's does. */
export class CodeDeployAnswerDenied extends ActionFailure {}

interface AnswerShape {
  label: string;
  permission: string;
  send(codedeploy: CodeDeployClient, deploymentId: string): Promise<unknown>;
  /** The answer still applies to the deployment as it reads. */
  applies(read: CodeDeployDeploymentRead): boolean;
  /** An earlier attempt went through. */
  tookEffect(read: CodeDeployDeploymentRead): boolean;
  /** What the deployment does if nobody answers it. */
  stillWaiting(deploymentId: string): string;
}

const ANSWERS: Record<CodeDeployAnswer, AnswerShape> = {
  continue: {
    label: 'ContinueDeployment (READY_WAIT)',
    permission: 'codedeploy:ContinueDeployment',
    send: (codedeploy, deploymentId) =>
      codedeploy.send(withoutSdkRetries(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }))),
    // CodeDeploy takes it only while the deployment is Ready (DeploymentIsNotInReadyStateException otherwise).
    applies: (read) => read.deployment.status === 'Ready',
    // Past Ready and not stopped: only ContinueDeployment READY_WAIT moves a Ready deployment on, since CodeDeploy
    // stops one nobody continued (deploymentReadyOption STOP_DEPLOYMENT).
    tookEffect: (read) => ['InProgress', 'Baking', 'Succeeded'].includes(read.deployment.status ?? ''),
    stillWaiting: (id) =>
      `CodeDeploy deployment ${id} stays Ready, production traffic on the original task set, until someone calls ContinueDeployment (READY_WAIT) or its ready wait ends and CodeDeploy stops it.`,
  },
  'end-termination-wait': {
    label: 'ContinueDeployment (TERMINATION_WAIT)',
    permission: 'codedeploy:ContinueDeployment',
    send: (codedeploy, deploymentId) =>
      codedeploy.send(withoutSdkRetries(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' }))),
    applies: terminationWaitBegun,
    // Succeeded once the original task set is gone: by this answer, or by the wait's own end, which is the same outcome.
    tookEffect: (read) => read.deployment.status === 'Succeeded',
    stillWaiting: (id) =>
      `CodeDeploy deployment ${id} keeps the original task set until its termination wait ends, as the deployment group says.`,
  },
  stop: {
    label: 'StopDeployment (autoRollbackEnabled)',
    permission: 'codedeploy:StopDeployment',
    send: (codedeploy, deploymentId) =>
      codedeploy.send(withoutSdkRetries(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }))),
    // CodeDeploy takes it while the deployment has not ended (DeploymentAlreadyCompletedException): a stop still applies
    // to a deployment someone continued meanwhile, since the release it moves to production was found unhealthy.
    applies: (read) => !isFinalDeploymentStatus(read.deployment.status),
    // Stopped, and not by CodeDeploy's own ready-wait timeout.
    tookEffect: (read) => read.deployment.status === 'Stopped' && read.deployment.errorInformation?.code !== 'TIMEOUT',
    stillWaiting: (id) =>
      `CodeDeploy deployment ${id} goes on unless someone stops it (StopDeployment), or its ready wait ends and CodeDeploy stops it.`,
  },
};

/** Whether the answer applies to the deployment as it reads now. */
export function answerApplies(answer: CodeDeployAnswer, read: CodeDeployDeploymentRead): boolean {
  return ANSWERS[answer].applies(read);
}

/** What a deployment this step leaves unanswered does. */
export function stillWaiting(deploymentId: string, answer: CodeDeployAnswer): string {
  return ANSWERS[answer].stillWaiting(deploymentId);
}

/**
 * Answers a CodeDeploy deployment that waits for it. Every retry re-reads the deployment first, and sends again only an
 * answer that still applies (answerGate); a refusal for want of the permission fails the step naming it.
 */
export async function answerCodeDeployDeployment(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  answer: CodeDeployAnswer,
  reread: () => Promise<CodeDeployDeploymentRead | undefined>,
  retry: RetryContext,
): Promise<GateAnswer> {
  const shape = ANSWERS[answer];
  const label = `${shape.label} of CodeDeploy deployment ${deploymentId}`;
  return answerGate<CodeDeployDeploymentRead>(
    {
      label,
      service: 'CodeDeploy',
      send: () => shape.send(codedeploy, deploymentId),
      reread,
      tookEffect: shape.tookEffect,
      stillAwaiting: shape.applies,
      whatBecame: whatBecameOfReadyWait,
      stillWaiting: shape.stillWaiting(deploymentId),
      denied: (refusal) =>
        new CodeDeployAnswerDenied(
          `${label} was refused (${refusal}): grant the role ${shape.permission} so verify-health can answer the deployment. ${shape.stillWaiting(deploymentId)}`,
        ),
    },
    retry,
  );
}
