export interface LoadResult {
  sent: number;
  failed: number;
  /** Moments (ms) and reasons of failed requests, for measuring how long an outage lasted. */
  failures: { at: number; status?: number; error?: string }[];
  /** The moment (ms) each request was sent, in order: requests per second over time, for a chart. */
  sentAt: number[];
  latenciesMs: number[];
  /** With `countBodies`: how many answers (of any status) had each body, e.g. the image tag of the revision that answered. */
  bodies: Map<string, number>;
}

export interface Load {
  stop(): Promise<LoadResult>;
}

/**
 * A steady, bounded stream of GET requests to one loopback URL, as a user hammering the service during a
 * deploy would send them. It stops by itself after `maxDurationMs` even if nobody calls stop().
 */
export function startLoad(
  url: string,
  options: { perSecond: number; maxDurationMs: number; timeoutMs?: number; countBodies?: boolean },
): Load {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]/.test(url))
    throw new Error(`load is only sent to loopback addresses, not ${url}`);
  const result: LoadResult = { sent: 0, failed: 0, failures: [], sentAt: [], latenciesMs: [], bodies: new Map() };
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  const interval = 1000 / options.perSecond;
  let stopped = false;

  const fire = () => {
    result.sent += 1;
    const began = Date.now();
    result.sentAt.push(began);
    const request = fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) })
      .then(async (response) => {
        const body = await response.text();
        result.latenciesMs.push(Date.now() - began);
        if (options.countBodies) result.bodies.set(body, (result.bodies.get(body) ?? 0) + 1);
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
