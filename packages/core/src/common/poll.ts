import { sleepUnlessCancelled, throwIfCancelled, type CancellationSignal } from './cancellation';

export interface Clock {
  now(): number;
  /** With a signal, a clock may end the sleep early on abort (the system clock does, so no timer outlives a cancelled job). */
  sleep(ms: number, signal?: CancellationSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface PollOptions<T> {
  /** The wait between checks, or a function of the time since the first check (a long wait may poll less often). */
  intervalMs: number | ((elapsedMs: number) => number);
  timeoutMs: number;
  /** Share of the interval to vary by, so many jobs polling one account do not call in lockstep. */
  jitter?: number;
  clock?: Clock;
  random?: () => number;
  /** Aborted when the workflow is cancelled: the loop then throws WorkflowCancelled at once, without another check. */
  signal?: CancellationSignal;
  /** Returns the result when done, undefined to poll again. */
  check: (attempt: number) => Promise<T | undefined>;
}

export type PollResult<T> = { done: true; value: T; attempts: number } | { done: false; attempts: number };

/**
 * Calls `check` until it answers or the deadline passes. The last check runs at the deadline rather than
 * after it, so a rollout that finishes in the final second is not reported as timed out.
 */
export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const { intervalMs, timeoutMs, jitter = 0.2, clock = systemClock, random = Math.random, check, signal } = options;
  const started = clock.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  for (;;) {
    throwIfCancelled(signal);
    attempts += 1;
    const value = await check(attempts);
    if (value !== undefined) return { done: true, value, attempts };
    const remaining = deadline - clock.now();
    if (remaining <= 0) return { done: false, attempts };
    const interval = typeof intervalMs === 'function' ? intervalMs(clock.now() - started) : intervalMs;
    const spread = interval * jitter * (random() * 2 - 1);
    await sleepUnlessCancelled(clock, Math.round(Math.max(0, Math.min(interval + spread, remaining))), signal);
  }
}
