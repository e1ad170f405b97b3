import { errorMessage } from './errors';
import type { Logger } from './logger';
import { isTransientAwsError } from './retry';

/** Skipped rounds in a row before the watcher says that ECS is throttling or failing it. */
export const SKIPPED_READS_WARNING = 5;

/**
 * The waits before the round after one, then two, skipped rounds in a row. A throttle or a 5xx is usually over
 * within a fraction of a second (the SDK's own first retry waits about as long), and a watcher that waited out its
 * whole interval after each skipped round would see a crash loop seconds late under throttling; a third skip in a
 * row goes back to the loop's interval, so a drained API bucket is not hammered.
 */
export const QUICK_RETRY_MS: readonly number[] = [300, 600];

/** How many recent rounds the warning's "N of the last M" is counted over. */
const WINDOW = 20;

/**
 * Counts the rounds of a poll loop whose read was throttled or failed transiently and so were skipped (a poll is
 * idempotent: the next tick is its retry). One skip is routine; when skips persist, one warning says so, since the
 * verdict then comes later than the loop's interval promises.
 */
export class SkippedReads {
  private skipped = 0;
  private inARow = 0;
  private warned = false;
  private readonly recent: boolean[] = [];

  constructor(
    private readonly log: Logger,
    private readonly service = 'ECS',
  ) {}

  /** Total rounds skipped so far. */
  get count(): number {
    return this.skipped;
  }

  /** The wait before the next round: sooner after one or two skipped rounds in a row (QUICK_RETRY_MS), else `intervalMs`. */
  intervalAfter(intervalMs: number): number {
    const quick = QUICK_RETRY_MS[this.inARow - 1];
    return quick === undefined ? intervalMs : Math.min(quick, intervalMs);
  }

  /** Records a round that got its answers. */
  read(): void {
    this.inARow = 0;
    this.remember(false);
  }

  /** Records a skipped round if the error is transient (true), or answers false: the caller then throws it. */
  skip(error: unknown): boolean {
    if (!isTransientAwsError(error)) return false;
    this.skipped += 1;
    this.inARow += 1;
    this.remember(true);
    if (this.inARow >= SKIPPED_READS_WARNING && !this.warned) {
      this.warned = true;
      const skippedRecently = this.recent.filter(Boolean).length;
      this.log.warning(
        `${this.service} is throttling (or failing) the watcher's reads: ${skippedRecently} of the last ${this.recent.length} polls skipped (latest: ${(error as Error).name}: ${errorMessage(error)}). The verdict may come late.`,
      );
    }
    return true;
  }

  private remember(skipped: boolean): void {
    this.recent.push(skipped);
    if (this.recent.length > WINDOW) this.recent.shift();
  }
}
