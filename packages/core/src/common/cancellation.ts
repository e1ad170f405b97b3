/**
 * What a use case needs of the runner's cancellation: whether it happened, and to be told when it does.
 * An AbortSignal is one; platform's abortOnCancel gives the one aborted on SIGINT/SIGTERM.
 */
export type CancellationSignal = Pick<AbortSignal, 'aborted' | 'addEventListener' | 'removeEventListener'>;

/** Thrown by a poll loop when its signal was aborted: the loop ended without a verdict, and made no further call. */
export class WorkflowCancelled extends Error {
  constructor() {
    super('The workflow was cancelled.');
    this.name = 'WorkflowCancelled';
  }
}

export function throwIfCancelled(signal: Pick<AbortSignal, 'aborted'> | undefined): void {
  if (signal?.aborted) throw new WorkflowCancelled();
}

/**
 * Waits for work this step cannot interrupt (a build, a push) unless the signal is aborted first: then rejects
 * with WorkflowCancelled at once, so the step can report and end while the work is left to the runner to stop.
 */
export async function unlessCancelled<T>(work: Promise<T>, signal: CancellationSignal | undefined): Promise<T> {
  if (!signal) return work;
  throwIfCancelled(signal);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new WorkflowCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The clock's sleep, cut short by the signal: a cancelled job must not wait out a poll interval. */
export async function sleepUnlessCancelled(
  // poll's Clock, which imports this module: spelt out here to keep the two apart.
  clock: { sleep(ms: number, signal?: CancellationSignal): Promise<void> },
  ms: number,
  signal: CancellationSignal | undefined,
): Promise<void> {
  if (!signal) return clock.sleep(ms);
  if (signal.aborted) return;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([clock.sleep(ms, signal), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
