import { sleepUnlessCancelled, throwIfCancelled, type CancellationSignal } from './cancellation';
import type { Clock } from './poll';

/**
 * The token bucket AWS throttles an API with (ECS: "Request throttling for the Amazon ECS API"): `burst` tokens at
 * most, refilled at `perSecond`; each call takes one. AWS counts a call when it arrives, which this side cannot see:
 * calls sent together arrive spread over a fraction of a second (more on a busy network), and a bucket that refilled
 * from the moment they were sent would send the next one before AWS's bucket has its token. So this one refills only
 * while none of its calls is in flight: AWS counted each call before answering it, so its bucket refills at least
 * from the last answer, as this one does, and a call sent on this bucket's token is never throttled by a bucket of
 * the same size that no one else draws from.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  /** Callers in line, so a token goes to the one that asked first. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: { burst: number; perSecond: number },
    private readonly clock: Clock,
  ) {
    this.tokens = limits.burst;
    this.refilledAt = clock.now();
  }

  /**
   * Waits until a token is free and takes it; the answer is what to call once the call it was for was answered (or
   * failed). A cancelled job stops waiting at once (WorkflowCancelled).
   */
  take(signal?: CancellationSignal): Promise<() => void> {
    const turn = this.queue.then(() => this.takeNow(signal));
    // The next caller waits for this one's token, whether it got it or was cancelled.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async takeNow(signal?: CancellationSignal): Promise<() => void> {
    for (;;) {
      throwIfCancelled(signal);
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.inFlight += 1;
        let answered = false;
        return () => {
          if (answered) return;
          answered = true;
          this.refill();
          this.inFlight -= 1;
        };
      }
      await sleepUnlessCancelled(this.clock, Math.ceil(((1 - this.tokens) / this.limits.perSecond) * 1000), signal);
    }
  }

  /** Adds what the bucket earned since the last look, counting no time a call of its own was in flight. */
  private refill(): void {
    const now = this.clock.now();
    if (this.inFlight === 0) {
      this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.perSecond);
    }
    this.refilledAt = now;
  }
}
