/**
 * The fault mix of issue 14's campaign, as sandbox fault rules: what an account whose API bucket is drained by
 * twenty other pipelines looks like from one job. Every AWS call of every service may be throttled (30 %), answered
 * with the service's server error (10 %), held for a 2 s latency spike, or have its connection reset before the call
 * ran or after it took effect (the case that makes a retried mutating call's idempotency matter).
 *
 * Seeded: the same seed and the same calls give the same faults. CI runs one seed per scenario (`campaignSeed`,
 * derived from the scenario's name so that scenarios do not share a pattern); FAULT_SEED=<n> replays one, and the
 * bench runs several.
 */
import type { FaultOptions, FaultRule } from '@ecs-deploy/sandbox';

export const FAULT_MIX_RULES: readonly FaultRule[] = [
  { probability: 0.3, effect: { kind: 'error', code: 'ThrottlingException' } },
  { probability: 0.1, effect: { kind: 'error' } },
  { probability: 0.05, effect: { kind: 'latency', ms: 2_000 } },
  { probability: 0.03, effect: { kind: 'drop', when: 'before' } },
  { probability: 0.02, effect: { kind: 'drop', when: 'after' } },
];

/** The fault mix with `seed`: pass to `sandbox.setFaults` (or `startSandbox({ faults })`). */
export function faultMix(seed: number): FaultOptions {
  return { seed, rules: [...FAULT_MIX_RULES] };
}

/** One seed per scenario, stable across runs and machines; FAULT_SEED overrides it to replay or explore a pattern. */
export function campaignSeed(scenario: string): number {
  const override = process.env.FAULT_SEED;
  if (override !== undefined && override !== '') {
    const seed = Number(override);
    if (!Number.isInteger(seed)) throw new Error(`FAULT_SEED must be an integer, got ${JSON.stringify(override)}`);
    return seed;
  }
  // FNV-1a over the scenario's name.
  let hash = 0x811c9dc5;
  for (const char of scenario) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}
