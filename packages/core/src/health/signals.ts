/**
 * A reading of something beyond the URLs that must hold for health: the ECS service, its load balancer
 * targets, CloudWatch alarms. Read once a round, next to the probes.
 */
export interface SignalReading {
  /** What was read, e.g. `service web` or `alarm web-5xx`. */
  source: string;
  passed: boolean;
  /** What was seen, in words; for a failure, what is wrong. */
  detail: string;
  /** Ends the check at once, warm-up or not: an alarm in ALARM is the team's own verdict. */
  fatal?: boolean;
}

export type SignalReader = () => Promise<SignalReading[]>;

/** Reads several sources at once, as one round. */
export function combineSignals(readers: SignalReader[]): SignalReader | undefined {
  if (readers.length === 0) return undefined;
  return async () => (await Promise.all(readers.map((read) => read()))).flat();
}
