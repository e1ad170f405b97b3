/** Thrown to a service held at the start line when another service's pre-flight failed: nothing of it was changed. */
export class NotStarted extends Error {
  constructor(readonly blockedBy: string[]) {
    super(`not deployed: the pre-flight of ${blockedBy.join(', ')} failed, so no service was changed`);
    this.name = 'NotStarted';
  }
}

/**
 * Where several services wait before their first change: all go once every one got there (its pre-flight passed,
 * its revision rendered), and none goes when any failed before, so a refusal of one changes nothing of the others.
 */
export class StartLine {
  private readonly arrived = new Set<string>();
  private readonly failed: string[] = [];
  private release!: () => void;
  private refuse!: (error: Error) => void;
  private readonly open: Promise<void>;

  constructor(private readonly names: readonly string[]) {
    this.open = new Promise<void>((resolve, reject) => {
      this.release = resolve;
      this.refuse = reject;
    });
    // Rejected before anyone waits (the first service failed first): not an unhandled rejection.
    this.open.catch(() => undefined);
  }

  /** The service got to its first change: resolves once all have, rejects (NotStarted) once any failed. */
  ready(name: string): Promise<void> {
    this.arrived.add(name);
    if (this.failed.length === 0 && this.arrived.size === this.names.length) this.release();
    return this.open;
  }

  /** The service failed before it got there. */
  fail(name: string): void {
    if (this.arrived.has(name) || this.failed.includes(name)) return;
    this.failed.push(name);
    this.refuse(new NotStarted(this.failed));
  }

  /** Whether every service went past the line. */
  get passed(): boolean {
    return this.failed.length === 0 && this.arrived.size === this.names.length;
  }
}
