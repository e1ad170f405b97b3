import { errorMessage } from './errors';
import type { Logger } from './logger';
import { sleepUnlessCancelled, WorkflowCancelled, type CancellationSignal } from './cancellation';
import { systemClock, type Clock } from './poll';

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException']);

/** ECS (or another service) refused the call for its rate: it did not run, so sending it again is safe. */
export function isThrottlingError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return !!e && typeof e === 'object' && (THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429);
}

/** A failure worth trying again: throttling, a 5xx answer, or a request that never got one. */
export function isTransientAwsError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $fault?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (!e || typeof e !== 'object') return false;
  if (THROTTLING.has(e.name ?? '') || e.$retryable) return true;
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  // Node's socket errors carry their kind in `code` (name "Error"); the SDK's own in `name`.
  return ['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].some(
    (kind) => e.name === kind || e.code === kind,
  );
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The wait before the second attempt; it doubles after each, varied by ±50 % so jobs do not retry in step. */
  baseDelayMs: number;
  /** What is being tried, for the log: "StopServiceDeployment of sd-1". */
  label: string;
  log: Logger;
  clock?: Clock;
  random?: () => number;
  /** The workflow's cancellation: no attempt starts after it (a retry is a mutating call the user did not ask for). */
  signal?: CancellationSignal;
}

/** What a caller of a retried call brings: who hears about the retries, the clock they wait on, the cancellation. */
export type RetryContext = Pick<RetryOptions, 'log' | 'clock' | 'random' | 'signal'>;

/**
 * Runs a mutating call again while it fails transiently, a bounded number of times, saying each retry in the log.
 * The SDK client has already retried inside each attempt (clientSettings): these are further, slower attempts for
 * a throttle or an outage that outlasts it. The call must be safe to repeat (it is told which attempt it is, so a
 * retry can first look whether the failed attempt took effect after all); the last error is thrown as is.
 */
export async function retryTransient<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseDelayMs, label, log, clock = systemClock, random = Math.random, signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (attempt >= attempts || !isTransientAwsError(error) || signal?.aborted) throw error;
      const delayMs = Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + random()));
      log.info(
        `${label} failed (${(error as Error).name}: ${errorMessage(error)}); attempt ${attempt + 1} of ${attempts} in ${(delayMs / 1000).toFixed(1)}s.`,
      );
      await sleepUnlessCancelled(clock, delayMs, signal);
      if (signal?.aborted) throw new WorkflowCancelled();
    }
  }
}
