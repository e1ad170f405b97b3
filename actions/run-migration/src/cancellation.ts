/**
 * The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Both signals abort the
 * returned signal instead of ending the process, so the step can say what still runs before it ends.
 */
export function abortOnCancel(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
