import { WorkflowCancelled } from './cancellation';
import { errorMessage, isAccessDenied } from './errors';
import { isTransientAwsError, retryTransient, type RetryContext } from './retry';

export type GateAnswer =
  /** AWS took the answer (or, after an answer lost in transit, shows that it did). */
  | { answered: true }
  /** Nothing was answered: the gate no longer waited for it, or AWS refused; why says what became of the gate. */
  | { answered: false; why: string };

/**
 * One answer to a deployment that waits for it (a PAUSE hook, a CodeDeploy ready wait), told by how the deployment
 * reads: R is one read of it.
 */
export interface GateAnswerCall<R> {
  /** For the retry log lines and the refusal: "ContinueDeployment (READY_WAIT) of CodeDeploy deployment d-…". */
  label: string;
  /** Who answers: "ECS", "CodeDeploy". */
  service: string;
  /** One attempt, sent once without the SDK's own retries, so that no answer goes out unchecked. */
  send(): Promise<unknown>;
  /** The deployment now; undefined when AWS no longer knows it. */
  reread(): Promise<R | undefined>;
  /** The deployment went the way the answer asked (an earlier attempt went through), not some other way. */
  tookEffect(read: R): boolean;
  /** The answer still applies: the gate still waits for it. */
  stillAwaiting(read: R): boolean;
  /** In words, what became of a gate that no longer awaits the answer. */
  whatBecame(read: R): string;
  /** What the gate does if nobody answers it: said when AWS refused the answer. */
  stillWaiting: string;
  /** The failure for a refusal for want of a permission (refusal: `<error name>: <message>`). */
  denied(refusal: string): Error;
}

// Four attempts, 1 s, 2 s, 4 s apart (±50 %): a throttle is ridden out well within a minute, while the gate waits.
const ATTEMPTS = 4;
const BASE_DELAY_MS = 1_000;

/**
 * Answers a gate of a deployment. The gate may expire, or be answered by someone else, between two attempts, and an
 * attempt that failed in transit (a throttle never ran; a 5xx or a reset may have) may have gone through: so every
 * retry first re-reads the deployment, and answers only a gate that still awaits. A refusal for want of a permission
 * fails (call.denied); any other refusal is no answer, with what became of the gate.
 */
export async function answerGate<R>(call: GateAnswerCall<R>, retry: RetryContext): Promise<GateAnswer> {
  try {
    return await retryTransient(
      async (attempt): Promise<GateAnswer> => {
        if (attempt > 1) {
          const read = await call.reread();
          if (read && call.tookEffect(read)) return { answered: true };
          if (read && !call.stillAwaiting(read)) return { answered: false, why: call.whatBecame(read) };
        }
        await call.send();
        return { answered: true };
      },
      { attempts: ATTEMPTS, baseDelayMs: BASE_DELAY_MS, label: call.label, ...retry },
    );
  } catch (error) {
    // Cancelled between attempts: no further one is sent, and the caller says what the gate is left with.
    if (retry.signal?.aborted) throw new WorkflowCancelled();
    const refusal = `${(error as Error).name}: ${errorMessage(error)}`;
    if (isAccessDenied(error)) throw call.denied(refusal);
    const read = await call.reread().catch(() => undefined);
    if (!read) {
      if (isTransientAwsError(error)) throw error;
      return { answered: false, why: `${call.service} refused the answer (${refusal})` };
    }
    // An answer lost in transit (a 5xx or a reset after AWS took it): the deployment shows whether it went through.
    if (isTransientAwsError(error) && call.tookEffect(read)) return { answered: true };
    if (call.stillAwaiting(read)) {
      if (isTransientAwsError(error)) throw error;
      return { answered: false, why: `${call.service} refused the answer (${refusal}). ${call.stillWaiting}` };
    }
    return { answered: false, why: `${call.service} refused the answer (${refusal}): ${call.whatBecame(read)}` };
  }
}
