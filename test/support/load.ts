export interface LoadResult {
  sent: number;
  failed: number;
  /** Moments (ms) and reasons of failed requests, for measuring how long an outage lasted. */
  failures: { at: number; status?: number; error?: string }[];
  latenciesMs: number[];
}

export interface Load {
  stop(): Promise<LoadResult>;
}

/**
 * A steady, bounded stream of GET requests to one loopback URL, as a user hammering the service during a
 * deploy would send them. It stops by itself after `maxDurationMs` even if nobody calls stop().
 */
export function startLoad(url: string, options: { perSecond: number; maxDurationMs: number; timeoutMs?: number }): Load {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]/.test(url))
    throw new Error(`load is only sent to loopback addresses, not ${url}`);
  const result: LoadResult = { sent: 0, failed: 0, failures: [], latenciesMs: [] };
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  const interval = 1000 / options.perSecond;
  let stopped = false;

  const fire = () => {
    result.sent += 1;
    const began = Date.now();
    const request = fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) })
      .then(async (response) => {
        await response.arrayBuffer();
        result.latenciesMs.push(Date.now() - began);
        if (response.status >= 500) {
          result.failed += 1;
          result.failures.push({ at: began, status: response.status });
        }
      })
      .catch((error: Error) => {
        result.failed += 1;
        result.failures.push({ at: began, error: error.message });
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const timer = setInterval(() => {
    if (stopped || Date.now() - startedAt > options.maxDurationMs) {
      clearInterval(timer);
      return;
    }
    fire();
  }, interval);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return result;
    },
  };
}
