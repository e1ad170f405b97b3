/** One workflow step of the demo: a bundled action run as the runner runs it, its log streamed, its summary shown. */
import { runBundledAction, type ActionRun } from '../support/run-action';
import type { Lane } from './record';
import { bold, dim, green, red, renderLogLine, renderSummary } from './terminal';

export interface StepOptions {
  env: Record<string, string>;
  cwd?: string;
  /** Where the step's lines go: the terminal by default, a buffer for a part that runs beside another. */
  print?: (line: string) => void;
  /** The report's record of the service this step deploys, verifies or rolls back. */
  lane?: Lane;
}

export async function runStep(title: string, action: string, inputs: Record<string, string>, options: StepOptions): Promise<ActionRun> {
  const { print = console.log, lane, ...runOptions } = options;
  print(`\n${bold(`━━ ${title}`)}  ${dim(`uses: ./actions/${action}`)}`);
  print(
    dim(
      `  with: ${Object.entries(inputs)
        .map(([name, value]) => `${name}=${value.replace(/\n/g, '\\n')}`)
        .join('  ')}`,
    ),
  );
  const run = await runBundledAction(action, inputs, {
    ...runOptions,
    onLine: (line) => {
      const rendered = renderLogLine(line.text);
      if (rendered !== undefined) print(rendered);
    },
  });
  lane?.step(title, action, inputs, run);
  const seconds = ((run.finishedAt - run.startedAt) / 1000).toFixed(1);
  print(run.exitCode === 0 ? green(`  ✔ step succeeded in ${seconds}s`) : red(`  ✘ step failed in ${seconds}s (exit ${run.exitCode})`));
  print(
    dim('  outputs: ') +
      Object.entries(run.outputs)
        .map(([name, value]) => `${name}=${value.replace(/\n/g, ' ')}`)
        .join('  '),
  );
  if (run.summary.trim()) print(`${dim('  ── job summary ──')}\n${renderSummary(run.summary)}`);
  return run;
}
