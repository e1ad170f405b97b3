/** The demo's closing lines: each step's expected behaviour, seen or not, and the exit code they make. */
import { bold, green, red } from './terminal';

export interface Verdict {
  what: string;
  ok: boolean;
  detail: string;
}

export class Verdicts {
  private readonly entries: Verdict[] = [];

  /** What was recorded, in order. */
  get all(): readonly Verdict[] {
    return this.entries;
  }

  /** Records whether `what` behaved as expected, with what was actually seen. */
  expect(what: string, ok: boolean, detail: string): boolean {
    this.entries.push({ what, ok, detail });
    return ok;
  }

  /** Adds another part's verdicts after these, in their order (a part run beside this one keeps its own). */
  append(other: Verdicts): void {
    this.entries.push(...other.entries);
  }

  get allAsExpected(): boolean {
    return this.entries.length > 0 && this.entries.every((entry) => entry.ok);
  }

  print(): void {
    console.log(`\n${bold('━━ Verdicts')}`);
    for (const { what, ok, detail } of this.entries) console.log(ok ? green(`  ✔ ${what}: ${detail}`) : red(`  ✘ ${what}: ${detail}`));
    console.log(this.allAsExpected ? green(bold('Every step behaved as expected.')) : red(bold('Some step did not behave as expected.')));
  }
}
