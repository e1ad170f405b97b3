/** The steady audience behind the load balancer: what it sent, what failed, and for how long. */
import { startLoad, type Load, type LoadResult } from '../support/load';
import type { Lane } from './record';
import { green, red } from './terminal';

/** Requests a second a small audience sends through the load balancer. */
const PER_SECOND = 20;

export interface TrafficOptions {
  /** Also count which bodies answered (on a blue/green service, the revision's image tag). */
  countBodies?: boolean;
  /** The report's record of the service, which keeps each request's moment and each failure's. */
  lane?: Lane;
}

export function startTraffic(url: string, { countBodies = false, lane }: TrafficOptions = {}): Load {
  const load = startLoad(url, { perSecond: PER_SECOND, maxDurationMs: 110_000, countBodies });
  return {
    async stop() {
      const result = await load.stop();
      lane?.load(url, result);
      return result;
    },
  };
}

/** Seconds from the first failed request to the last one; 0 when none failed. */
export function outageSeconds(result: LoadResult): number {
  if (result.failures.length === 0) return 0;
  const moments = result.failures.map((failure) => failure.at);
  return (Math.max(...moments) - Math.min(...moments)) / 1000;
}

export function reportTraffic(label: string, result: LoadResult, print: (line: string) => void = console.log): void {
  const line =
    `  ${label}: ${result.sent} requests through the load balancer, ${result.failed} failed` +
    (result.failed > 0 ? ` over ${outageSeconds(result).toFixed(1)}s` : '');
  print(result.failed === 0 ? green(line) : red(line));
}
