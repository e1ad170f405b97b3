import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Proof that the import rules `npm run lint` checks (.ci/dependency-cruiser.js, through .ci/check-imports.mjs) can
// fail: each tree under fixtures/ breaks exactly one rule, and the checker must name that rule and that import.
// A fixture is checked from its own root, as the repository is, since the rules' paths start at the root.

const checker = resolve('.ci/check-imports.mjs');
const fixtures = resolve('test/static/fixtures');

interface Problem {
  rule: string;
  route: string[];
  why: string;
}

interface Run {
  exitCode: number;
  stdout: string;
}

// Resolves with the exit code (0: no problem, 1: problems found); anything else, or output on stderr, is a crash.
function runNode(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    execFile(process.execPath, args, { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if ((exitCode !== 0 && exitCode !== 1) || stderr !== '')
        return reject(new Error(`the import check crashed (exit ${exitCode}): ${stderr}`));
      resolveRun({ exitCode, stdout });
    });
  });
}

const errorLines = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('error '));

// Checks every fixture in one child process, loading the checker once.
async function checkFixtures(): Promise<Record<string, Problem[]>> {
  const script = `
    import { readdirSync } from 'node:fs';
    import { checkImports } from ${JSON.stringify(pathToFileURL(checker).href)};
    const results = {};
    for (const name of readdirSync(${JSON.stringify(fixtures)})) {
      const baseDir = ${JSON.stringify(fixtures)} + '/' + name;
      results[name] = (await checkImports(readdirSync(baseDir), { baseDir })).problems;
    }
    console.log(JSON.stringify(results));`;
  const { exitCode, stdout } = await runNode(['--input-type=module', '--eval', script], fixtures);
  if (exitCode !== 0) throw new Error(`checking the fixtures failed: ${stdout}`);
  return JSON.parse(stdout) as Record<string, Problem[]>;
}

const routes = (problems: Problem[]): string[] => problems.map(({ rule, route }) => `${rule}: ${route.join(' → ')}`);

// Each tree that breaks a rule, and the one problem the checker must report for it.
const brokenTrees: [string, string][] = [
  ['cycle', 'no-circular: packages/sandbox/src/lifecycle.ts → packages/sandbox/src/scheduler.ts → packages/sandbox/src/lifecycle.ts'],
  ['ecs-imports-health', 'core-layer-order: packages/core/src/ecs/watcher.ts → packages/core/src/health/probe.ts'],
  ['preflight-imports-deployment', 'core-layer-order: packages/core/src/preflight/check.ts → packages/core/src/deployment/mechanism.ts'],
  ['sibling-layers', 'core-sibling-layers: packages/core/src/task-definition/register.ts → packages/core/src/logs/tail.ts'],
  ['core-imports-actions', 'core-actions-only-in-platform: packages/core/src/common/logger.ts → @actions/core'],
  ['core-imports-platform', 'core-not-platform: packages/core/src/ecs/watcher.ts → packages/core/src/platform/summary.ts'],
  ['core-outside-layers', 'core-known-layer: packages/core/src/helpers.ts'],
  ['action-imports-action', 'actions-independent: actions/deploy-ecs/src/main.ts → actions/verify-health/src/verify.ts'],
  ['action-imports-sandbox', 'actions-not-sandbox: actions/deploy-ecs/src/main.ts → packages/sandbox/src/clock.ts'],
  ['core-imports-sandbox', 'core-not-sandbox: packages/core/src/ecs/watcher.ts → packages/sandbox/src/clock.ts'],
  ['sandbox-imports-core', 'sandbox-not-core: packages/sandbox/src/scheduler.ts → packages/core/src/ecs/judgement.ts'],
  ['unresolvable-import', 'resolvable: packages/core/src/common/poll.ts → ./retyr'],
];

describe('npm run lint: import rules on the repository', () => {
  test('the repository breaks no import rule', async () => {
    const run = await runNode([checker], resolve('.'));
    expect(errorLines(run.stdout)).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  test('a broken rule makes the check exit 1 and print the rule, the import and why', async () => {
    const run = await runNode([checker, 'packages'], resolve(fixtures, 'ecs-imports-health'));
    expect(run.stdout).toContain(
      'error core-layer-order: packages/core/src/ecs/watcher.ts → packages/core/src/health/probe.ts\n  packages/core/src/ecs must not import packages/core/src/health: health builds on ecs',
    );
    expect(run.exitCode).toBe(1);
  });
});

describe('npm run lint: each import rule fails on a tree that breaks it', () => {
  let results: Record<string, Problem[]>;
  beforeAll(async () => {
    results = await checkFixtures();
  });

  test('every fixture tree is asserted on below', () => {
    expect(readdirSync(fixtures).sort()).toEqual(['allowed', ...brokenTrees.map(([name]) => name)].sort());
  });

  test('imports that follow the layers, and test files that reach anywhere in core, break no rule', () => {
    expect(routes(results['allowed'])).toEqual([]);
  });

  test.each(brokenTrees)('%s: %s', (name, problem) => {
    expect(routes(results[name])).toEqual([problem]);
  });
});
