import { ContinueServiceDeploymentCommand, type ECSClient, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';
import { ActionFailure } from '../common/errors';
import { answerGate, type GateAnswer } from '../common/gate-answer';
import { systemClock } from '../common/poll';
import type { RetryContext } from '../common/retry';
import { serviceDeploymentId } from './deployment-history';
import { awaitingPauseHook, pauseHookDetail, whatBecameOfHook, type AwaitingPauseHook } from './pause-hook';

export type PauseHookAction = 'CONTINUE' | 'ROLLBACK';

/**
 * ECS refused the answer for want of ecs:ContinueServiceDeployment. It fails verify-health's step as it is; a caller
 * with another way to go on (auto-rollback stops the deployment instead) catches it and says so in its own words.
 */
export class PauseHookAnswerDenied extends ActionFailure {
  constructor(
    message: string,
    /** AWS's refusal, `<error name>: <message>`. */
    readonly refusal: string,
  ) {
    super(message);
  }
}

export type PauseHookAnswer = GateAnswer;

/**
 * Answers a PAUSE hook with ContinueServiceDeployment. ECS takes the answer only while the hook is AWAITING_ACTION
 * and the deployment IN_PROGRESS, and the hook may expire (ECS then takes its timeout action) or be answered by
 * someone else between two attempts: answerGate re-reads the deployment before every retry, and answers only a
 * hook that still awaits. A refusal for want of ecs:ContinueServiceDeployment fails the step (PauseHookAnswerDenied)
 * naming the permission.
 */
export async function answerPauseHook(
  ecs: ECSClient,
  serviceDeploymentArn: string,
  hook: AwaitingPauseHook,
  action: PauseHookAction,
  reread: () => Promise<ServiceDeployment | undefined>,
  retry: RetryContext,
): Promise<PauseHookAnswer> {
  const now = () => (retry.clock ?? systemClock).now();
  const label = `ContinueServiceDeployment (${action}) of hook ${hook.hookId} of service deployment ${serviceDeploymentId(serviceDeploymentArn)}`;
  return answerGate<ServiceDeployment>(
    {
      label,
      service: 'ECS',
      send: () => ecs.send(withoutSdkRetries(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId: hook.hookId, action }))),
      reread,
      tookEffect: (deployment) => tookEffect(deployment, hook, action, now()),
      stillAwaiting: (deployment) => stillAwaiting(deployment, hook),
      whatBecame: (deployment) => whatBecameOfHook(deployment, hook),
      stillWaiting: stillWaiting(hook),
      denied: (refusal) =>
        new PauseHookAnswerDenied(
          `${label} was refused (${refusal}): grant the role ecs:ContinueServiceDeployment so verify-health can answer the hook. ${stillWaiting(hook)}`,
          refusal,
        ),
    },
    retry,
  );
}

/** The hook, and nothing else, still waits for this answer. */
function stillAwaiting(deployment: ServiceDeployment, hook: AwaitingPauseHook): boolean {
  return deployment.status === 'IN_PROGRESS' && awaitingPauseHook(deployment)?.hookId === hook.hookId;
}

/**
 * The deployment went the way the answer asked, and not by the hook's own timeout. ECS lists only the current
 * stage's hooks, so a CONTINUE shows as the hook SUCCEEDED, or gone with the deployment on past its stage.
 */
function tookEffect(deployment: ServiceDeployment, hook: AwaitingPauseHook, action: PauseHookAction, now: number): boolean {
  const status = deployment.status ?? '';
  const detail = pauseHookDetail(deployment, hook.hookId)?.status;
  if (detail === 'TIMED_OUT' || detail === 'AWAITING_ACTION') return false;
  if (action === 'ROLLBACK') return status.startsWith('ROLLBACK_');
  if (status !== 'IN_PROGRESS' && status !== 'SUCCESSFUL') return false;
  if (detail === 'SUCCEEDED') return true;
  // Gone past its stage after it expired: ECS's timeout action CONTINUE may have let it through, not the answer.
  const expired = hook.expiresAt !== undefined && now >= hook.expiresAt.getTime();
  return detail === undefined && deployment.lifecycleStage !== hook.stage && !expired;
}

/** What happens to a hook this step leaves unanswered. */
export function stillWaiting(hook: AwaitingPauseHook): string {
  const when = hook.expiresAt ? ` at ${hook.expiresAt.toISOString()}` : ' when it expires';
  return `The PAUSE hook ${hook.hookId} still awaits action: ECS takes its timeout action ${hook.timeoutAction}${when} unless someone answers it (ContinueServiceDeployment).`;
}
