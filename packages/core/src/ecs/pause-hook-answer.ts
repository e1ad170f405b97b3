import { ContinueServiceDeploymentCommand, type ECSClient, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';
import { WorkflowCancelled } from '../common/cancellation';
import { ActionFailure, errorMessage, isAccessDenied } from '../common/errors';
import { systemClock } from '../common/poll';
import { isTransientAwsError, retryTransient, type RetryContext } from '../common/retry';
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

export type PauseHookAnswer =
  /** ECS took the answer (or, after an answer lost in transit, shows that it did). */
  | { answered: true }
  /** Nothing was answered: the hook no longer awaited action, or ECS refused; why says what became of the hook. */
  | { answered: false; why: string };

// Four attempts, 1 s, 2 s, 4 s apart (±50 %): a throttle is ridden out well within a minute, while the hook waits.
const ATTEMPTS = 4;
const BASE_DELAY_MS = 1_000;

/**
 * Answers a PAUSE hook with ContinueServiceDeployment. ECS takes the answer only while the hook is AWAITING_ACTION
 * and the deployment IN_PROGRESS, and the hook may expire (ECS then takes its timeout action) or be answered by
 * someone else between two attempts: so every retry first re-reads the deployment, and answers only a hook that
 * still awaits. Each attempt is sent once, without the SDK's own retries, so that no answer goes out unchecked.
 * A refusal for want of ecs:ContinueServiceDeployment fails the step (PauseHookAnswerDenied) naming the permission.
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
  try {
    return await retryTransient(
      async (attempt): Promise<PauseHookAnswer> => {
        if (attempt > 1) {
          // The attempt before failed in transit (a throttle never ran; a 5xx or a reset may have): the deployment says
          // whether it went through, or whether the hook moved on without it.
          const deployment = await reread();
          if (deployment && tookEffect(deployment, hook, action, now())) return { answered: true };
          if (deployment && !stillAwaiting(deployment, hook)) return { answered: false, why: whatBecameOfHook(deployment, hook) };
        }
        await ecs.send(withoutSdkRetries(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId: hook.hookId, action })));
        return { answered: true };
      },
      { attempts: ATTEMPTS, baseDelayMs: BASE_DELAY_MS, label, ...retry },
    );
  } catch (error) {
    // Cancelled between attempts: no further one is sent, and the caller says what the hook is left with.
    if (retry.signal?.aborted) throw new WorkflowCancelled();
    const answered = `${(error as Error).name}: ${errorMessage(error)}`;
    if (isAccessDenied(error)) {
      throw new PauseHookAnswerDenied(
        `${label} was refused (${answered}): grant the role ecs:ContinueServiceDeployment so verify-health can answer the hook. ${stillWaiting(hook)}`,
        answered,
      );
    }
    const deployment = await reread().catch(() => undefined);
    if (!deployment) {
      if (isTransientAwsError(error)) throw error;
      return { answered: false, why: `ECS refused the answer (${answered})` };
    }
    // An answer lost in transit (a 5xx or a reset after ECS took it): the deployment shows whether it went through.
    if (isTransientAwsError(error) && tookEffect(deployment, hook, action, now())) return { answered: true };
    if (stillAwaiting(deployment, hook)) {
      if (isTransientAwsError(error)) throw error;
      return { answered: false, why: `ECS refused the answer (${answered}). ${stillWaiting(hook)}` };
    }
    return { answered: false, why: `ECS refused the answer (${answered}): ${whatBecameOfHook(deployment, hook)}` };
  }
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
