import { sleepUnlessCancelled, throwIfCancelled, type CancellationSignal } from './cancellation';
import type { Clock } from './poll';

/**
 * The token bucket AWS throttles an API with (ECS: "Request throttling for the Amazon ECS API"): `burst` tokens at
 * most, refilled at `perSecond`; each call takes one. A caller that waits for its token is not throttled by a
 * bucket of the same size that no one else draws from: AWS counts a call when it arrives, and calls sent together
 * arrive up to a fraction of a second apart (the first ones open connections), so a token is taken `marginMs`
 * after this bucket has it, and a call sent on time never arrives early.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  /** Callers in line, so a token goes to the one that asked first. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: { burst: number; perSecond: number },
    private readonly clock: Clock,
    private readonly marginMs = 250,
  ) {
    this.tokens = limits.burst;
    this.refilledAt = clock.now();
  }

  /** Waits until a token is free and takes it; a cancelled job stops waiting at once (WorkflowCancelled). */
  take(signal?: CancellationSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeNow(signal));
    // The next caller waits for this one's token, whether it got it or was cancelled.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeNow(signal?: CancellationSignal): Promise<void> {
    for (;;) {
      throwIfCancelled(signal);
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleepUnlessCancelled(this.clock, Math.ceil(((1 - this.tokens) / this.limits.perSecond) * 1000) + this.marginMs, signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.perSecond);
    this.refilledAt = now;
  }
}
