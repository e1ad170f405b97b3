import { percentile } from './latency';
import type { JudgedAnswer } from './judge';

/** What one URL answered over the whole check, for the summary table. */
export interface UrlStats {
  url: string;
  checks: number;
  failures: number;
  latencies: number[];
  last?: JudgedAnswer;
}

export function emptyStats(url: string): UrlStats {
  return { url, checks: 0, failures: 0, latencies: [] };
}

export function recordAnswer(stats: UrlStats, answer: JudgedAnswer): void {
  stats.checks += 1;
  if (!answer.passed) stats.failures += 1;
  // A refused or timed-out request has no latency worth the name; it is counted as a failure instead.
  if (answer.status !== undefined) stats.latencies.push(answer.latencyMs);
  stats.last = answer;
}

export function latencyFigures(latencies: number[]): { p50?: number; p95?: number; max?: number } {
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.length ? Math.max(...latencies) : undefined };
}
