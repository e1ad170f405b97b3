import { afterAll, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkflow } from '../support/workflow-model';
import { runJob } from '../support/workflow-runner';

// The `actions` job of .github/workflows/e2e.yml, run here through the same runner as the starter workflows:
// its own scripts start the build infrastructure, the sandbox and the health endpoint for real, then the five
// actions of this checkout (`uses: ./actions/<name>`) run in order, and its final step checks what each handed on.
const runnerTemp = mkdtempSync(join(tmpdir(), 'e2e-job-'));

afterAll(() => {
  // The job's background processes end with the job on GitHub; here they are stopped by the pids it wrote.
  for (const file of ['sandbox.pid', 'web.pid']) {
    const path = join(runnerTemp, file);
    if (!existsSync(path)) continue;
    try {
      process.kill(Number(readFileSync(path, 'utf8').trim()), 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

test('e2e.yml: build-push, run-migration, deploy-ecs, verify-health, a broken deploy and auto-rollback chain through their outputs', async () => {
  const workflow = await loadWorkflow('.github/workflows/e2e.yml');
  const job = workflow.jobs.find((j) => j.id === 'actions');
  if (!job) throw new Error('e2e.yml has no actions job');
  const result = await runJob(workflow, job, {
    env: {
      GITHUB_REPOSITORY: 'acme/suite',
      GITHUB_SHA: 'e2e0000000000000000000000000000000000001',
      GITHUB_RUN_ID: '7',
      GITHUB_SERVER_URL: 'https://github.com',
    },
    github: { sha: 'e2e0000000000000000000000000000000000001', token: '', event: {} },
    // This checkout is already installed; everything else runs for real.
    fakes: { 'actions/checkout': () => ({}), Install: () => ({}) },
    cwd: process.cwd(),
    runnerTemp,
  });

  const outcomes = Object.fromEntries(result.steps.map((step) => [step.step, step.outcome]));
  expect(outcomes).toEqual({
    '#1': 'success',
    Install: 'success',
    'Start the build infrastructure (dockerd, registry, buildah)': 'success',
    'Start the sandbox': 'success',
    'Start the health endpoint the probes call': 'success',
    build: 'success',
    migrate: 'success',
    deploy: 'success',
    verify: 'success',
    broken: 'failure',
    rollback: 'success',
    'Check what each step handed to the next': 'success',
  });
  expect(result.result).toBe('success');
  const step = (name: string) => result.steps.find((s) => s.step === name);
  expect(step('broken')?.outputs.status).toBe('rolled-back');
  expect(step('rollback')?.outputs['task-definition-arn']).toBe(step('deploy')?.outputs['task-definition-arn']);
}, 600_000);
