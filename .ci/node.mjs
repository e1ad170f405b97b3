#!/usr/bin/env node
// Prints the path of a Node.js binary of one major version: the one .node-version names, or the one given as the
// argument (the end-to-end tests ask for 24, the runtime of `runs: node24`).
//   node .ci/node.mjs [major]
// The machine's own node is used when it already has that major. Otherwise the official binary is installed from the
// npm registry (package node-<platform>-<arch>, which ships bin/node and runs no install script) into .cache/ in the
// repository, not node_modules/, so `npm ci` does not delete the node it runs on. The tarball stays in npm's cache, so
// a fresh clone installs it again without the network. Any failure exits non-zero with the reason on stderr: callers
// must not carry on with another Node.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function wantedMajor() {
  const text = process.argv[2] ?? readFileSync(join(root, '.node-version'), 'utf8');
  const major = text.trim().replace(/^v/, '').split('.')[0];
  if (!/^\d+$/.test(major)) throw new Error(`"${text.trim()}" does not name a Node.js major version.`);
  return major;
}

function majorOf(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '').split('.')[0];
  } catch {
    return undefined;
  }
}

// Extracts into a fresh folder and renames it into place, so parallel callers never see half a binary.
function install(major, target) {
  const packageName = `node-${process.platform}-${process.arch}@${major}`;
  const cache = dirname(target);
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(cache, `.staging-${major}-`));
  try {
    const tarball = execFileSync('npm', ['pack', packageName, '--loglevel=error', '--pack-destination', staging], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['xzf', join(staging, tarball), '-C', staging]);
    rmSync(join(staging, tarball));
    if (majorOf(join(target, 'package', 'bin', 'node')) === major) {
      rmSync(staging, { recursive: true, force: true }); // another caller finished first
      return;
    }
    rmSync(target, { recursive: true, force: true }); // a broken or half-deleted earlier install
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (majorOf(join(target, 'package', 'bin', 'node')) === major) return; // another caller finished first
    throw new Error(`installing ${packageName} from the npm registry failed: ${error.message}`, { cause: error });
  }
}

function nodeBinary(major) {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const target = join(root, '.cache', `node-v${major}`);
  const binary = join(target, 'package', 'bin', 'node');
  if (majorOf(binary) === major) return binary;
  install(major, target);
  const found = majorOf(binary);
  if (found !== major) throw new Error(`installed Node.js ${major}, but ${binary} reports major ${found ?? 'nothing'}.`);
  return binary;
}

let major = '?';
try {
  major = wantedMajor();
  console.log(nodeBinary(major));
} catch (error) {
  console.error(`Node.js ${major} is needed and could not be had: ${error.message}`);
  process.exit(1);
}
