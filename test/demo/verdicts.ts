/** The demo's closing lines: each step's expected behaviour, seen or not, and the exit code they make. */
import { bold, green, red } from './terminal';

export class Verdicts {
  private readonly entries: { what: string; ok: boolean; detail: string }[] = [];

  /** Records whether `what` behaved as expected, with what was actually seen. */
  expect(what: string, ok: boolean, detail: string): boolean {
    this.entries.push({ what, ok, detail });
    return ok;
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
