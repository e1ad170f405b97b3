/**
 * Time from the runner's SIGINT to the step's exit, per action, each interrupted at the moment that matters
 * (test/support/interrupted-runs.ts, shared with the cancellation e2e tests). Goal: within 3 s. Registered in
 * run.ts as `cancel`; medians over `runs`.
 */
import {
  cancelBuildMidBuild,
  cancelDeployMidRollout,
  cancelMigrationWhileRunning,
  cancelRollbackMidWatch,
  cancelVerifyHealthWhileProbing,
  signalToExit,
} from '../support/interrupted-runs';
import type { ActionRun } from '../support/run-action';
import { startSandbox } from '../support/sandbox-harness';
import { formatRow } from './stats';

const GOAL_MS = 3_000;

/** The run's signal-to-exit time, after checking it was interrupted and failed as a cancelled step does. */
function cancelledIn(action: string, run: ActionRun): number {
  if (run.signalledAt === undefined) throw new Error(`${action} was never interrupted:\n${run.log}`);
  if (run.exitCode !== 1) throw new Error(`${action} exited ${run.exitCode} after SIGINT, expected 1:\n${run.log}`);
  return signalToExit(run);
}

export async function cancellationBench(runs: number): Promise<string[]> {
  const sandbox = await startSandbox({ timeScale: 0.2 });
  const times: Record<string, number[]> = {
    'deploy-ecs mid-rollout': [],
    'run-migration with its task running': [],
    'verify-health while probing': [],
    'auto-rollback while watching the rollback': [],
    'build-push mid-build': [],
  };
  try {
    for (let i = 0; i < runs; i++) {
      const env = sandbox.env();
      const deploy = await cancelDeployMidRollout(sandbox, { name: `cdeploy${i}`, env });
      times['deploy-ecs mid-rollout'].push(cancelledIn('deploy-ecs', deploy.run));
      const migration = await cancelMigrationWhileRunning(sandbox, { name: `cmigrate${i}`, env });
      times['run-migration with its task running'].push(cancelledIn('run-migration', migration.run));
      const probing = await cancelVerifyHealthWhileProbing();
      times['verify-health while probing'].push(cancelledIn('verify-health', probing.run));
      const rollback = await cancelRollbackMidWatch(sandbox, { name: `crollback${i}`, env });
      times['auto-rollback while watching the rollback'].push(cancelledIn('auto-rollback', rollback.run));
      const build = await cancelBuildMidBuild(env);
      times['build-push mid-build'].push(cancelledIn('build-push', build.run));
    }
  } finally {
    await sandbox.stop();
  }
  return Object.entries(times).map(([moment, values]) => formatRow(`SIGINT → exit: ${moment}`, values, 'ms', GOAL_MS));
}
