/**
 * Nearest-rank percentile: the smallest sample at least `p` percent of the samples do not exceed. It is
 * always a latency that was really observed, never an interpolation between two.
 */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * Below 20 answers the nearest-rank p95 is the slowest answer, so one slow answer would decide. The window
 * is judged only once it holds at least this many answers.
 */
export const LATENCY_WINDOW_MIN_SAMPLES = 20;

/** The latencies of the most recent rounds, for a p95 that one slow answer cannot move. */
export class LatencyWindow {
  private readonly rounds: number[][] = [];

  constructor(private readonly size: number) {}

  add(roundLatencies: number[]): void {
    this.rounds.push(roundLatencies);
    while (this.rounds.length > this.size) this.rounds.shift();
  }

  samples(): number[] {
    return this.rounds.flat();
  }

  /** The p95 once enough answers are in to mean anything, else undefined. */
  p95(): number | undefined {
    const samples = this.samples();
    return samples.length >= LATENCY_WINDOW_MIN_SAMPLES ? percentile(samples, 95) : undefined;
  }
}

/** Rounds the window spans for `urls` URLs: just enough for the minimum number of answers, and never under 5. */
export function latencyWindowRounds(urls: number): number {
  return Math.max(5, Math.ceil(LATENCY_WINDOW_MIN_SAMPLES / Math.max(1, urls)));
}
