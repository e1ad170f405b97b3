import { errorMessage } from '../common/errors';
import { isTransientAwsError } from '../common/retry';

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
  /** Ends the check at once, warm-up or not: an alarm in ALARM is the team's own verdict, a crashed task is ECS's. */
  fatal?: boolean;
  /**
   * The read was throttled or failed transiently this round: the source is unknown, neither good nor bad (passed is
   * false, but it is no problem of the release). A round with an unread signal and no problem is not counted.
   */
  unread?: boolean;
  /** For an unread signal, the error the read got. */
  error?: unknown;
}

export type SignalReader = () => Promise<SignalReading[]>;

/**
 * What `read` gives, or, when its read is throttled or fails transiently, `source` unread this round. Signal reads
 * are a poll loop's: sent without the SDK's retries (the next round is the retry), and a failed read must not count
 * as an unhealthy signal. Other errors (a refusal, a service that is gone) are thrown: they are the step's failure.
 */
export async function readOrUnread(source: string, read: () => Promise<SignalReading[]>): Promise<SignalReading[]> {
  try {
    return await read();
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    return [
      { source, passed: false, unread: true, error, detail: `not read this round (${(error as Error).name}: ${errorMessage(error)})` },
    ];
  }
}

/** Reads several sources at once, as one round. */
export function combineSignals(readers: SignalReader[]): SignalReader | undefined {
  if (readers.length === 0) return undefined;
  return async () => (await Promise.all(readers.map((read) => read()))).flat();
}
