import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = readFileSync('README.md', 'utf8');
const actions = readdirSync('actions').filter((name) => existsSync(join('actions', name, 'action.yml')));

/** Names under `inputs:` or `outputs:` of an action.yml (two-space indented keys). */
function declared(yaml: string, section: 'inputs' | 'outputs'): string[] {
  const block = new RegExp(`^${section}:\\n((?:  .*\\n|\\n)*)`, 'm').exec(yaml)?.[1] ?? '';
  return [...block.matchAll(/^ {2}([a-z0-9-]+):/gm)].map((match) => match[1]);
}

/** The README's `## \`action\`` section, up to the next second-level heading; the whole README without one. */
function sectionOf(action: string): string {
  const start = readme.indexOf(`\n## \`${action}\``);
  if (start < 0) return readme;
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

// README.md is part of the product: every input and output a user can set or read is documented there.
describe.each(actions)('README documents %s', (action) => {
  const yaml = readFileSync(join('actions', action, 'action.yml'), 'utf8');
  test.each(['inputs', 'outputs'] as const)('every one of its %s', (section) => {
    const names = declared(yaml, section);
    expect(names.length).toBeGreaterThan(0);
    const missing = names.filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
  test('and its default values as action.yml declares them', () => {
    for (const [, name, value] of yaml.matchAll(/^ {2}([a-z0-9-]+):\n(?: {4}.*\n)*? {4}default: '([^']*)'/gm)) {
      // Several actions share input names (timeout, cluster): read the row in this action's own section.
      const row = sectionOf(action)
        .split('\n')
        .find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row).toContain(`\`${value}\``);
    }
  });
});

test('README gives the two commands CI and a fresh machine use', () => {
  expect(readme).toContain('npm ci && npm run demo');
  expect(readme).toMatch(/^npm test\b/m);
  expect(readFileSync('.ci/run', 'utf8')).toMatch(/^npm test /m);
});
