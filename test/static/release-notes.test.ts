import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module script without type declarations.
import { releaseNotes } from '../../.github/scripts/release-notes.mjs';

const changelog = `# Changelog

## Unreleased

- Something not released yet.

## [1.2.0] - 2026-11-20

### Added
- \`verify-health\`: bake time.

### Fixed
- \`deploy-ecs\`: a diff of secrets.

## 1.1.0

- First minor.
`;

describe('release notes from CHANGELOG.md', () => {
  test('the section of the tag, without its heading and without the next release', () => {
    expect(releaseNotes(changelog, 'v1.2.0')).toBe(
      '### Added\n- `verify-health`: bake time.\n\n### Fixed\n- `deploy-ecs`: a diff of secrets.\n',
    );
    expect(releaseNotes(changelog, 'v1.1.0')).toBe('- First minor.\n');
  });

  test('a version is matched exactly, not as a prefix', () => {
    expect(() => releaseNotes(changelog.replace('## [1.2.0]', '## [1.2.0-rc.1]'), 'v1.2.0')).toThrow(/no "## 1\.2\.0" section/);
    expect(() => releaseNotes(changelog.replace('## 1.1.0', '## 1.1.01'), 'v1.1.0')).toThrow(/no "## 1\.1\.0" section/);
  });

  test('a pre-release takes its own section when there is one, else the section of the release it comes before', () => {
    expect(releaseNotes(changelog, 'v1.2.0-rc.1')).toBe(releaseNotes(changelog, 'v1.2.0'));
    expect(releaseNotes(changelog.replace('## Unreleased', '## 1.3.0-beta.1'), 'v1.3.0-beta.1')).toBe('- Something not released yet.\n');
    expect(() => releaseNotes(changelog, 'v1.3.0-rc.1')).toThrow(
      /no "## 1\.3\.0" section: move the Unreleased notes under it before tagging v1\.3\.0-rc\.1/,
    );
  });

  test('a missing or empty section, or a tag that is not vX.Y.Z, is refused', () => {
    expect(() => releaseNotes(changelog, 'v9.9.9')).toThrow(/move the Unreleased notes under it before tagging v9\.9\.9/);
    expect(() => releaseNotes('## 2.0.0\n\n## 1.0.0\n- x\n', 'v2.0.0')).toThrow(/empty/);
    expect(() => releaseNotes(changelog, 'v1')).toThrow(/not a vX\.Y\.Z release tag/);
    expect(() => releaseNotes(changelog, 'v1.2.00')).toThrow(/not a vX\.Y\.Z release tag/);
    expect(() => releaseNotes(changelog, 'v1.2.0+build.5')).toThrow(/not a vX\.Y\.Z release tag/);
  });

  test('the script prints the notes and exits non-zero without them, as release.yml runs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notes-'));
    const file = join(dir, 'CHANGELOG.md');
    writeFileSync(file, changelog);
    const script = join('.github', 'scripts', 'release-notes.mjs');
    expect(execFileSync(process.execPath, [script, 'v1.1.0', file], { encoding: 'utf8' })).toBe('- First minor.\n');
    const missing = spawnSync(process.execPath, [script, 'v3.0.0', file], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no "## 3.0.0" section');
  });
});

describe("the repository's CHANGELOG.md", () => {
  const text = readFileSync('CHANGELOG.md', 'utf8');
  const headings = text.split('\n').filter((line) => line.startsWith('## '));

  test('opens with Unreleased, then the releases newest first, 1.0.0 the first of them', () => {
    expect(headings[0]).toBe('## Unreleased');
    const versions = headings.slice(1).map((heading) => /^## \[?v?(\d+\.\d+\.\d+)/.exec(heading)?.[1]);
    expect(versions.at(-1)).toBe('1.0.0');
    const order = (version = '') => version.split('.').map(Number);
    const sorted = [...versions].sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
    });
    expect(versions).toEqual(sorted);
  });

  test("1.0.0's notes (and its release candidates') say what changed in defaults, meanings and permissions before it", () => {
    const notes = releaseNotes(text, 'v1.0.0');
    expect(releaseNotes(text, 'v1.0.0-rc.1')).toBe(notes);
    for (const part of ['**Defaults**', '**Meanings**', '**Permissions**', '### Added', '### Changed', '### Fixed'])
      expect(notes).toContain(part);
  });
});
