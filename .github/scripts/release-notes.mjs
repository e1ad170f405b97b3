#!/usr/bin/env node
// Prints the CHANGELOG.md section of one release, for the GitHub release's notes:
//   node .github/scripts/release-notes.mjs v1.2.3 [CHANGELOG.md]
// A pre-release (v1.2.3-rc.1) takes its own section when CHANGELOG.md has one, else the section of the release it
// comes before (1.2.3): the notes are written once, under the version they ship in, before its first candidate.
// Fails when the version has no section or an empty one, so a release is never published without notes.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseTag } from './release-tag.mjs';

const headingOf = (version) => new RegExp(`^## \\[?v?${version.replace(/[.+]/g, '\\$&')}\\]?(?:\\s|$)`);

/** The body under "## [1.2.3]" or "## 1.2.3" (optionally "v1.2.3", optionally " - date"), up to the next "## ". */
export function releaseNotes(changelog, tag) {
  const parsed = parseTag(tag);
  if (!parsed) throw new Error(`"${tag}" is not a vX.Y.Z release tag (or a vX.Y.Z-<pre-release> one).`);
  const release = parsed.numbers.join('.');
  const version = tag.slice(1);
  const lines = changelog.split(/\r?\n/);
  const find = (candidate) => lines.findIndex((line) => headingOf(candidate).test(line));
  const own = find(version);
  const start = own === -1 && parsed.prerelease !== undefined ? find(release) : own;
  if (start === -1) throw new Error(`CHANGELOG.md has no "## ${release}" section: move the Unreleased notes under it before tagging ${tag}.`);
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  const body = lines.slice(start + 1, end === -1 ? undefined : end).join('\n').trim();
  if (!body) throw new Error(`The "${lines[start]}" section of CHANGELOG.md is empty.`);
  return `${body}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [tag, file = 'CHANGELOG.md'] = process.argv.slice(2);
  try {
    if (!tag) throw new Error('Usage: release-notes.mjs vX.Y.Z [CHANGELOG.md]');
    process.stdout.write(releaseNotes(readFileSync(file, 'utf8'), tag));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
