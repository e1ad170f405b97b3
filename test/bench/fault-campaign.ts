/**
 * The fault campaign over several seeds: CI runs the campaign's e2e files with one seed per scenario; the bench
 * runs them again with FAULT_SEED=1..N (BENCH_FAULT_SEEDS, default 3), so other fault patterns are tried on every
 * bench run. A scenario that gives another outcome or cause under some seed is a bug in the product or in the
 * sandbox's determinism, and is named here with its seed to replay it (`FAULT_SEED=<n> npm run test:e2e -- <file>`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CAMPAIGN_FILES = ['test/e2e/fault-campaign-deploy.test.ts', 'test/e2e/fault-campaign-jobs.test.ts'];

interface JestReport {
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string }> }>;
}

function runCampaign(seed: number, dir: string): { passed: number; failed: string[] } {
  const out = join(dir, `seed-${seed}.json`);
  spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--selectProjects',
      'e2e',
      '--runTestsByPath',
      ...CAMPAIGN_FILES,
      '--json',
      `--outputFile=${out}`,
    ],
    { env: { ...process.env, FAULT_SEED: String(seed) }, stdio: 'ignore' },
  );
  let report: JestReport;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as JestReport;
  } catch {
    return { passed: 0, failed: [`the campaign did not run with seed ${seed}`] };
  }
  const results = report.testResults.flatMap((file) => file.assertionResults);
  return {
    passed: results.filter((result) => result.status === 'passed').length,
    failed: results.filter((result) => result.status !== 'passed').map((result) => `${result.fullName} (FAULT_SEED=${seed})`),
  };
}

export function faultCampaignBench(): string[] {
  const seeds = Number(process.env.BENCH_FAULT_SEEDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'fault-campaign-'));
  try {
    let passed = 0;
    const failed: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const result = runCampaign(seed, dir);
      passed += result.passed;
      failed.push(...result.failed);
    }
    const row = `${'fault campaign: scenarios with the same outcome and cause'.padEnd(58)} ${passed}/${passed + failed.length} over seeds 1..${seeds}`;
    return [row, ...failed.map((name) => `  DIFFERS: ${name}`)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
