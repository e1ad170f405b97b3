/**
 * auto-rollback: how soon a service answers well again once a rollback starts, with real processes of the
 * sample service. Registered in run.ts; medians over `runs`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { startDatabase } from '../fixtures/sample-service/database.mjs';
import { createService } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { REPOSITORY_ROOT, SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR, sampleServiceCatalog } from '../support/sample-service';
import { sampleContainer, servedVersions } from '../support/sample-task';
import { formatRow } from './stats';

const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

/** Polls the tasks directly until every running one serves `version`; resolves with that moment. */
async function allServe(sandbox: Sandbox, cluster: string, service: string, version: string, until: () => boolean): Promise<number | undefined> {
  while (!until()) {
    const versions = await servedVersions(sandbox, cluster, service).catch(() => []);
    if (versions.length > 0 && versions.every((v) => v === version)) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

export async function autoRollbackBench(runs: number): Promise<string[]> {
  const database = await startDatabase();
  await promisify(execFile)(process.execPath, [`${SAMPLE_SERVICE_DIR}/migrate.mjs`, 'up', '2'], { cwd: REPOSITORY_ROOT, env: { ...process.env, DATABASE_URL: database.url } });
  // timeScale 1: real ECS intervals, so the figures compare with what a team sees.
  const sandbox = await start({ timeScale: 1, catalog: sampleServiceCatalog() });
  const toServing: number[] = [];
  const toReturn: number[] = [];
  const overRollout: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const name = `rollback${i}`;
      const { cluster, service } = await createService(sandbox, { service: name, image: `${SAMPLE_REPOSITORY}:v1`, deploymentConfiguration: breaker, containers: [sampleContainer(name, database.url)] });
      const release = await runBundledAction('deploy-ecs', { cluster, service, image: `${SAMPLE_REPOSITORY}:v2` }, { env: sandbox.env() });
      if (release.outputs.status !== 'succeeded') throw new Error(`release ended ${release.outputs.status}:\n${release.log}`);
      let done = false;
      const startedAt = Date.now();
      const serving = allServe(sandbox, cluster, service, 'v1', () => done);
      const run = await runBundledAction('auto-rollback', { cluster, service, 'task-definition': release.outputs['previous-task-definition-arn'] }, { env: sandbox.env() });
      const servedAt = (await Promise.race([serving, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000))])) ?? Date.now();
      done = true;
      if (run.outputs['rolled-back'] !== 'true') throw new Error(`rollback ended rolled-back=${run.outputs['rolled-back']}:\n${run.log}`);
      toServing.push(servedAt - startedAt);
      toReturn.push(run.finishedAt - startedAt);
      // The same rollout mechanics carried the release in: the rollback's cost beyond them is ours.
      overRollout.push(run.finishedAt - startedAt - Number(release.outputs['duration-seconds']) * 1000);
    }
  } finally {
    await sandbox.stop();
    await database.stop();
  }
  return [
    formatRow('auto-rollback: rollback starts → every task serves v1 (no LB)', toServing, 'ms'),
    formatRow('auto-rollback: rollback starts → action returns, steady', toReturn, 'ms'),
    formatRow('auto-rollback: return time beyond a plain rollout of a revision', overRollout, 'ms', 5000),
  ];
}
