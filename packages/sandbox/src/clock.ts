/**
 * The sandbox's time. Every timer goes through a Clock so that stop() can cancel all of them and nothing keeps
 * the process alive. Two clocks:
 * - scaled (the default): wall-clock time for timestamps, and ECS's own intervals multiplied by timeScale;
 * - manual (start({ clock: 'manual' }), scripted tasks only): time stands still until a test calls
 *   sandbox.advance(ms), which runs every timer that falls due, in order, so a test of something that must
 *   NOT happen advances the clock past it instead of sleeping.
 */
export interface Clock {
  readonly scale: number;
  now(): number;
  /** An ECS interval in the clock's milliseconds. */
  scaled(ms: number): number;
  /** Runs `fn` once an ECS interval of `ms` has passed; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** Runs `fn` after `ms` real milliseconds, not scaled and not the sandbox's time (network latency, for instance). */
  afterReal(ms: number, fn: () => void): () => void;
  /** Runs `fn` every `ms` of ECS time, a pacing loop such as the scheduler's pass; returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
  /** Runs `fn` once the current work is done, before time moves on; returns a cancel function. */
  soon(fn: () => void): () => void;
  dispose(): void;
}

export type ClockKind = 'scaled' | 'manual';

/** A pacing loop never runs more often than this, in real milliseconds: at a tiny scale it would spin. */
const MIN_REAL_INTERVAL_MS = 5;

function checkScale(scale: number): void {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`timeScale must be a positive number, got ${scale}`);
}

/** Wall-clock time for timestamps, scaled time for ECS's own intervals. */
export class ScaledClock implements Clock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private disposed = false;

  constructor(readonly scale: number) {
    checkScale(scale);
  }

  now(): number {
    return Date.now();
  }

  scaled(ms: number): number {
    return ms * this.scale;
  }

  after(ms: number, fn: () => void): () => void {
    return this.afterReal(this.scaled(ms), fn);
  }

  afterReal(ms: number, fn: () => void): () => void {
    if (this.disposed) return () => {};
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Every `ms` scaled, but never slower than `ms` real milliseconds (at a scale above 1) nor faster than 5 ms. */
  every(ms: number, fn: () => void): () => void {
    if (this.disposed) return () => {};
    const timer = setInterval(fn, Math.max(MIN_REAL_INTERVAL_MS, Math.min(ms, this.scaled(ms))));
    this.timers.add(timer);
    return () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  soon(fn: () => void): () => void {
    if (this.disposed) return () => {};
    const immediate = setImmediate(() => {
      this.immediates.delete(immediate);
      fn();
    });
    this.immediates.add(immediate);
    return () => {
      clearImmediate(immediate);
      this.immediates.delete(immediate);
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.timers.clear();
    this.immediates.clear();
  }
}

interface DueTimer {
  at: number;
  /** Timers due at the same moment run in the order they were set. */
  order: number;
  fn: () => void;
}

/** Lets the promise continuations a timer started run (a task's stop resolving, say) before the next timer. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Time that moves only when advance() is called. It starts at the wall-clock time it was made, so timestamps
 * look like today's. ECS intervals are scaled as on the scaled clock; afterReal stays real time, since network
 * latency is not the sandbox's.
 */
export class ManualClock implements Clock {
  private current: number;
  private order = 0;
  private readonly due: DueTimer[] = [];
  private readonly real = new ScaledClock(1);
  private disposed = false;
  private advancing = false;

  constructor(
    readonly scale: number = 1,
    start: number = Date.now(),
  ) {
    checkScale(scale);
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  scaled(ms: number): number {
    return ms * this.scale;
  }

  after(ms: number, fn: () => void): () => void {
    return this.at(this.current + Math.max(0, this.scaled(ms)), fn);
  }

  afterReal(ms: number, fn: () => void): () => void {
    return this.real.afterReal(ms, fn);
  }

  every(ms: number, fn: () => void): () => void {
    const interval = Math.max(1, this.scaled(ms));
    let cancel = () => {};
    const arm = (at: number) => {
      cancel = this.at(at, () => {
        arm(at + interval);
        fn();
      });
    };
    arm(this.current + interval);
    return () => cancel();
  }

  soon(fn: () => void): () => void {
    return this.at(this.current, fn);
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way (also those the timers set), each
   * at its own moment and in order, and letting what each one started settle before the next. Resolves once
   * the clock reads the new time and nothing due is left.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`advance() takes a number of milliseconds of 0 or more, got ${ms}`);
    if (this.advancing) throw new Error('advance() is already running: await it before advancing again');
    this.advancing = true;
    try {
      const until = this.current + ms;
      for (;;) {
        await settle();
        const next = this.next(until);
        if (!next) break;
        this.due.splice(this.due.indexOf(next), 1);
        this.current = Math.max(this.current, next.at);
        next.fn();
      }
      this.current = until;
      await settle();
    } finally {
      this.advancing = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.due.length = 0;
    this.real.dispose();
  }

  private at(at: number, fn: () => void): () => void {
    if (this.disposed) return () => {};
    const timer: DueTimer = { at, order: this.order++, fn };
    this.due.push(timer);
    return () => {
      const index = this.due.indexOf(timer);
      if (index >= 0) this.due.splice(index, 1);
    };
  }

  private next(until: number): DueTimer | undefined {
    let next: DueTimer | undefined;
    for (const timer of this.due) {
      if (timer.at > until) continue;
      if (!next || timer.at < next.at || (timer.at === next.at && timer.order < next.order)) next = timer;
    }
    return next;
  }
}
