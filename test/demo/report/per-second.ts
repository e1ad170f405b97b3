/** The traffic of a lane second by second since the demo started: what was sent and what failed, by sending time. */
import type { RecordedTraffic } from '../record';

export interface Second {
  /** Whole seconds since the origin: this second covers [second, second + 1). */
  second: number;
  sent: number;
  failed: number;
}

/** One entry for each of `seconds` seconds from `origin`, empty ones included, so gaps in the traffic show. */
export function perSecond(traffic: readonly RecordedTraffic[], origin: number, seconds: number): Second[] {
  const buckets: Second[] = Array.from({ length: seconds }, (_, second) => ({ second, sent: 0, failed: 0 }));
  const bucketOf = (at: number) => buckets[Math.min(seconds - 1, Math.max(0, Math.floor((at - origin) / 1000)))];
  for (const stretch of traffic) {
    for (const at of stretch.sentAt) bucketOf(at).sent += 1;
    for (const at of stretch.failedAt) bucketOf(at).failed += 1;
  }
  return buckets;
}
