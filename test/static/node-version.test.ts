import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Development and CI run on the Node.js the actions run on: a bump of one without the others is caught here.
const major = readFileSync('.node-version', 'utf8').trim();
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const actions = readdirSync('actions').filter((name) => existsSync(join('actions', name, 'action.yml')));

test('every action runs on the Node.js major .node-version names', () => {
  expect(major).toMatch(/^\d+$/);
  for (const action of actions) {
    const using = /^ {2}using: '?([^'\n]+)'?$/m.exec(readFileSync(join('actions', action, 'action.yml'), 'utf8'))?.[1];
    expect({ action, using }).toEqual({ action, using: `node${major}` });
  }
});

test('@types/node describes that major, and engines admits it', () => {
  expect(pkg.devDependencies['@types/node'].split('.')[0]).toBe(major);
  const minimum = /^>=(\d+)$/.exec(pkg.engines.node)?.[1];
  expect(Number(minimum)).toBeLessThanOrEqual(Number(major));
});

test('.ci/node.mjs answers with the running node when it already is the major asked for', () => {
  const result = spawnSync(process.execPath, ['.ci/node.mjs', process.versions.node.split('.')[0]], { encoding: 'utf8' });
  expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: process.execPath });
});

test('.ci/node.mjs fails loudly, printing no path, when the version cannot be had', () => {
  const result = spawnSync(process.execPath, ['.ci/node.mjs', 'latest'], { encoding: 'utf8' });
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
  expect(result.stderr).toContain('"latest" does not name a Node.js major version');
});
