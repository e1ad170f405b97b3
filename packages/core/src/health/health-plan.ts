import { ConfigurationError } from '../common/errors';
import { formatDuration } from '../common/duration';
import type { ExpectedStatus } from './expected-status';
import { latencyWindowRounds } from './latency';

/** What "healthy" means for one verification, all inputs already parsed. */
export interface HealthPlan {
  urls: string[];
  expectedStatus: ExpectedStatus;
  bodyContains?: string;
  warmupMs: number;
  intervalMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
  bakeMs: number;
  maxLatencyMs?: number;
}

/** Consecutive passing rounds before health is won: with max-latency-ms, also enough rounds to judge a p95. */
export function roundsToWin(plan: HealthPlan): number {
  return plan.maxLatencyMs === undefined ? plan.successThreshold : Math.max(plan.successThreshold, latencyWindowRounds(plan.urls.length));
}

/**
 * A timeout the thresholds can never reach would end every run in "timed out", whatever the service does:
 * refuse it before the first request and say what would work.
 */
export function assertReachable(plan: HealthPlan): void {
  const rounds = Math.max(roundsToWin(plan), plan.failureThreshold);
  const needed = plan.warmupMs + rounds * plan.intervalMs;
  if (plan.timeoutMs < needed) {
    const latency =
      roundsToWin(plan) > plan.successThreshold
        ? ` (max-latency-ms needs ${roundsToWin(plan)} rounds for a p95 one slow answer cannot decide)`
        : '';
    throw new ConfigurationError(
      `Input 'timeout' is ${formatDuration(plan.timeoutMs)}, shorter than the check can ever take to decide: ` +
        `warmup ${formatDuration(plan.warmupMs)} + ${rounds} rounds${latency} × interval ${formatDuration(plan.intervalMs)} = ${formatDuration(needed)}. ` +
        `Set timeout to at least ${formatDuration(needed)}, or lower warmup, interval or the thresholds.`,
      'timeout',
    );
  }
}
