import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorsOf, runBundledAction } from '../support/run-action';
import { node24 } from '../support/node24';

const actions = readdirSync('actions').filter((name) => existsSync(join('actions', name, 'action.yml')));

// A bundle that builds but cannot load its own dependencies fails only at run time; run each one bare.
describe.each(actions)('bundled %s', (action) => {
  test.each([
    ['Node 24 (the runner)', () => node24()],
    ["this machine's Node", () => process.execPath],
  ])('starts under %s and asks for its required input', async (_label, nodeBinary) => {
    const run = await runBundledAction(action, {}, { node: nodeBinary() });
    expect(run.log).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError/);
    expect(run.exitCode).toBe(1);
    // verify-health's url is required unless cluster and service are given, and says so.
    expect(errorsOf(run)).toEqual([expect.stringMatching(/^Input '[a-z-]+' is required (?:but was not given|unless .+)\.$/)]);
  });
});

test('every action has a committed bundle and declares node24', async () => {
  const { readFileSync } = await import('node:fs');
  expect(actions.length).toBeGreaterThan(0);
  for (const action of actions) {
    expect(existsSync(join('actions', action, 'dist', 'index.js'))).toBe(true);
    expect(readFileSync(join('actions', action, 'action.yml'), 'utf8')).toMatch(/using: 'node24'\n\s+main: 'dist\/index.js'/);
  }
});
