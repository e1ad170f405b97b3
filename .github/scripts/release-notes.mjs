#!/usr/bin/env node
// Prints the CHANGELOG.md section of one release, for the GitHub release's notes:
//   node .github/scripts/release-notes.mjs v1.2.3 [CHANGELOG.md]
// Fails when the version has no section or an empty one, so a release is never published without notes.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The body under "## [1.2.3]" or "## 1.2.3" (optionally "v1.2.3", optionally " - date"), up to the next "## ". */
export function releaseNotes(changelog, tag) {
  const version = tag.replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`"${tag}" is not a vX.Y.Z release tag.`);
  const escaped = version.replace(/\./g, '\\.');
  const heading = new RegExp(`^## \\[?v?${escaped}\\]?(?:\\s|$)`);
  const lines = changelog.split(/\r?\n/);
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) throw new Error(`CHANGELOG.md has no "## ${version}" section: move the Unreleased notes under it before tagging ${tag}.`);
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  const body = lines.slice(start + 1, end === -1 ? undefined : end).join('\n').trim();
  if (!body) throw new Error(`The "## ${version}" section of CHANGELOG.md is empty.`);
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
