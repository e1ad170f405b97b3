/** How one kind of batch read is sent: the most keys a call takes, and the call. */
export interface BatchedCall<A> {
  /** The most keys one call takes (DescribeServices: 10 services; DescribeServiceDeployments: 20 ARNs). */
  limit: number;
  /**
   * One call for these keys, all of one group (a cluster) and at most `limit` of them: each key's answer. A call
   * that rejects fails every read it carried.
   */
  send(group: string, keys: string[]): Promise<Map<string, A>>;
}

/**
 * One read round for many watch loops: the reads the loops ask for are gathered and sent together, `limit` keys a
 * call, so a quiet round of N loops costs ceil(N/limit) calls rather than N. A round is sent once every loop still
 * watching has asked (they poll at the same pace, so they ask within their interval's jitter of one another), or
 * `gatherMs` after its first read, so a loop busy elsewhere never holds the others up for long.
 */
export class ReadRounds<A> {
  /** Reads the loops asked for, and the calls that answered them: for the log and the benchmarks. */
  reads = 0;
  calls = 0;
  private readonly watching = new Set<string>();
  private pending = new Map<string, Array<{ resolve(answer: A | undefined): void; reject(error: unknown): void }>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sendScheduled = false;
  private busyElsewhere: (group: string, key: string) => boolean = () => false;

  constructor(
    private readonly call: BatchedCall<A>,
    private readonly gatherMs = 1000,
  ) {}

  /**
   * A loop about to watch: its first read is waited for too, so the first round goes together. Its watch's end (or
   * the caller, when it ends up watching nothing) calls done.
   */
  join(group: string, key: string): void {
    this.watching.add(keyOf(group, key));
  }

  /** The key's answer in the next round's call; undefined when the call answered nothing for it. */
  read(group: string, key: string): Promise<A | undefined> {
    const pair = keyOf(group, key);
    this.watching.add(pair);
    this.reads += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(pair, [...(this.pending.get(pair) ?? []), { resolve, reject }]);
      this.timer ??= setTimeout(() => this.send(), this.gatherMs);
      this.sendIfEveryoneAsked();
    });
  }

  /** The loop's watch ended: the next rounds no longer wait for its read. */
  done(group: string, key: string): void {
    this.watching.delete(keyOf(group, key));
    this.sendIfEveryoneAsked();
  }

  /**
   * Loops that, at times, wait in a later round of their poll (a service deployment's watch waits in the
   * DescribeServiceDeployments round after this DescribeServices one): while `busy` says a loop waits there, this
   * round does not wait for it. Waiting would interlock the two barriers: that loop waits there for a loop waiting
   * here, both held until a gather timer, and the rounds stay split. Not waiting, this round's loops go on to the
   * later round, where the busy loop waits for them, and the poll rounds come together again.
   */
  dontWaitWhile(busy: (group: string, key: string) => boolean): void {
    this.busyElsewhere = busy;
  }

  /** Whether the key's read waits in the round being gathered. */
  asking(group: string, key: string): boolean {
    return this.pending.has(keyOf(group, key));
  }

  /** What `busy` (dontWaitWhile) says changed: the round may now have every read it waits for. */
  recheck(): void {
    this.sendIfEveryoneAsked();
  }

  /** Reads asked for in the same turn of the event loop go in one round, even before every loop has joined. */
  private sendIfEveryoneAsked(): void {
    if (this.pending.size === 0 || !this.everyoneAsked() || this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => {
      this.sendScheduled = false;
      if (this.pending.size > 0 && this.everyoneAsked()) this.send();
    });
  }

  private everyoneAsked(): boolean {
    return [...this.watching].every((pair) => {
      if (this.pending.has(pair)) return true;
      const { group, key } = parseKey(pair);
      return this.busyElsewhere(group, key);
    });
  }

  /** Sends the round gathered so far, one call per group and `limit` keys, and answers each read from its call. */
  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const round = this.pending;
    this.pending = new Map();
    const byGroup = new Map<string, string[]>();
    for (const pair of round.keys()) {
      const { group, key } = parseKey(pair);
      byGroup.set(group, [...(byGroup.get(group) ?? []), key]);
    }
    for (const [group, keys] of byGroup) {
      for (let at = 0; at < keys.length; at += this.call.limit) {
        const chunk = keys.slice(at, at + this.call.limit);
        const waitersOf = (key: string) => round.get(keyOf(group, key)) ?? [];
        this.calls += 1;
        this.call.send(group, chunk).then(
          (answers) => {
            for (const key of chunk) for (const waiter of waitersOf(key)) waiter.resolve(answers.get(key));
          },
          (error: unknown) => {
            for (const key of chunk) for (const waiter of waitersOf(key)) waiter.reject(error);
          },
        );
      }
    }
  }
}

// A key is read within one group (a cluster): the pair is its key (a newline appears in neither name nor ARN).
const keyOf = (group: string, key: string) => `${group}\n${key}`;
function parseKey(pair: string): { group: string; key: string } {
  const [group, key] = pair.split('\n');
  return { group: group as string, key: key as string };
}
