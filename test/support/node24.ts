import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CACHE = resolve('node_modules/.cache/node24');

/**
 * The Node.js the runner uses for `runs: node24`. When the test machine runs another major, the official
 * binary is installed from the npm registry (package node-<platform>-<arch>) into node_modules/.cache,
 * so the bundles are proven on the runtime users get. Fails loudly if it cannot be had.
 */
export function node24(): string {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  if (process.env.NODE24 && existsSync(process.env.NODE24)) return process.env.NODE24;
  const binary = join(CACHE, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const packageName = `node-${process.platform}-${process.arch}@24`;
  try {
    const tarball = execFileSync('npm', ['pack', packageName, '--silent', '--pack-destination', CACHE], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(CACHE, tarball as string), '-C', CACHE]);
  } catch (error) {
    throw new Error(`Node.js 24 is needed to run the bundled actions as the runner does, and installing ${packageName} from the npm registry failed: ${(error as Error).message}`, { cause: error });
  }
  if (!existsSync(binary)) throw new Error(`Installed ${packageName} but ${binary} is missing.`);
  return binary;
}
