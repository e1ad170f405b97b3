/** One workflow step of the demo: a bundled action run as the runner runs it, its log streamed, its summary shown. */
import { runBundledAction, type ActionRun } from '../support/run-action';
import { bold, dim, green, red, renderLogLine, renderSummary } from './terminal';

export interface StepOptions {
  env: Record<string, string>;
  cwd?: string;
}

export async function runStep(title: string, action: string, inputs: Record<string, string>, options: StepOptions): Promise<ActionRun> {
  console.log(`\n${bold(`━━ ${title}`)}  ${dim(`uses: ./actions/${action}`)}`);
  console.log(
    dim(
      `  with: ${Object.entries(inputs)
        .map(([name, value]) => `${name}=${value.replace(/\n/g, '\\n')}`)
        .join('  ')}`,
    ),
  );
  const run = await runBundledAction(action, inputs, {
    ...options,
    onLine: (line) => {
      const rendered = renderLogLine(line.text);
      if (rendered !== undefined) console.log(rendered);
    },
  });
  const seconds = ((run.finishedAt - run.startedAt) / 1000).toFixed(1);
  console.log(
    run.exitCode === 0 ? green(`  ✔ step succeeded in ${seconds}s`) : red(`  ✘ step failed in ${seconds}s (exit ${run.exitCode})`),
  );
  console.log(
    dim('  outputs: ') +
      Object.entries(run.outputs)
        .map(([name, value]) => `${name}=${value.replace(/\n/g, ' ')}`)
        .join('  '),
  );
  if (run.summary.trim()) console.log(`${dim('  ── job summary ──')}\n${renderSummary(run.summary)}`);
  return run;
}
