#!/usr/bin/env node
// Reads a release tag for release.yml: `vX.Y.Z` is a release, `vX.Y.Z-<pre-release>` (`v1.0.0-rc.1`, SemVer's
// pre-release part) a pre-release, anything else is refused. A release moves its major tag (`v1`) only when it is the
// highest release of that major: a pre-release never moves it, and neither does a patch of an older minor (v1.2.4
// published after v1.3.0), which would take `@v1` users back.
//   node .github/scripts/release-tag.mjs v1.2.3 [every vX.Y.Z tag of the repository ...]
// prints the GitHub output lines tag=, version=, prerelease=, major=, moves-major=.
import { pathToFileURL } from 'node:url';

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;

/** The parts of a `vX.Y.Z[-pre]` tag, or undefined when it is not one. */
export function parseTag(tag) {
  const match = TAG.exec(tag);
  if (!match) return undefined;
  const [, major, minor, patch, prerelease] = match;
  return { numbers: [Number(major), Number(minor), Number(patch)], prerelease };
}

const newer = (a, b) => a.numbers[0] - b.numbers[0] || a.numbers[1] - b.numbers[1] || a.numbers[2] - b.numbers[2];

export function releaseTag(tag, existingTags = []) {
  const parsed = parseTag(tag);
  if (!parsed)
    throw new Error(`"${tag}" is not a release tag: expected vX.Y.Z (v1.2.3) or a pre-release vX.Y.Z-<pre-release> (v1.2.3-rc.1).`);
  const major = `v${parsed.numbers[0]}`;
  const prerelease = parsed.prerelease !== undefined;
  const higher = existingTags
    .map((other) => ({ other, parsed: parseTag(other) }))
    .filter(({ parsed: other }) => other && other.prerelease === undefined && other.numbers[0] === parsed.numbers[0])
    .filter(({ parsed: other }) => newer(other, parsed) > 0)
    .map(({ other }) => other);
  return {
    tag,
    version: tag.slice(1),
    prerelease,
    major,
    movesMajor: !prerelease && higher.length === 0,
    why: prerelease
      ? `${tag} is a pre-release: ${major} stays where it is.`
      : higher.length
        ? `${higher.sort().join(', ')} ${higher.length === 1 ? 'is' : 'are'} newer than ${tag}: ${major} stays on the newest release.`
        : `${tag} is the newest release of ${major}: ${major} moves to it.`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [tag, ...existing] = process.argv.slice(2);
  try {
    if (!tag) throw new Error('Usage: release-tag.mjs vX.Y.Z[-pre-release] [existing tags ...]');
    const release = releaseTag(tag, existing);
    console.error(release.why);
    process.stdout.write(
      `tag=${release.tag}\nversion=${release.version}\nprerelease=${release.prerelease}\nmajor=${release.major}\nmoves-major=${release.movesMajor}\n`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
