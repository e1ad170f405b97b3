/**
 * Wall-clock time for timestamps, scaled time for ECS's own intervals. Every timer goes through here so
 * that stop() can cancel all of them and nothing keeps the process alive.
 */
export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private disposed = false;

  constructor(readonly scale: number) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`timeScale must be a positive number, got ${scale}`);
  }

  now(): number {
    return Date.now();
  }

  /** An ECS interval in real milliseconds. */
  scaled(ms: number): number {
    return ms * this.scale;
  }

  /** Runs `fn` once an ECS interval of `ms` has passed; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    return this.afterReal(this.scaled(ms), fn);
  }

  /** Runs `fn` after `ms` real milliseconds, not scaled (network latency, for instance). */
  afterReal(ms: number, fn: () => void): () => void {
    if (this.disposed) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
