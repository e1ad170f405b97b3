/**
 * The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Both signals abort the
 * returned signal instead of ending the process, so the step can stop polling, say what it leaves behind (a
 * deployment still rolling out, a migration task still running, an interrupted build), write its job summary and
 * end with a failure. Every action's main.ts passes it to its use case; one process has one such signal.
 */
export function abortOnCancel(): AbortSignal {
  if (!cancellation) {
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    cancellation = controller;
  }
  return cancellation.signal;
}

/** Whether the runner cancelled this step (after abortOnCancel was called). */
export function wasCancelled(): boolean {
  return cancellation?.signal.aborted === true;
}

let cancellation: AbortController | undefined;
