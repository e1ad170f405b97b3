import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

let found: string | undefined;

/**
 * The Node.js the runner uses for `runs: node24`. When the test machine runs another major, .ci/node.mjs (the
 * script .ci/run uses to run everything on Node 24) installs the official binary from the npm registry into .cache/,
 * so the bundles are proven on the runtime users get. Fails loudly if it cannot be had.
 */
export function node24(): string {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  if (found) return found;
  try {
    found = execFileSync(process.execPath, [resolve('.ci/node.mjs'), '24'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`Node.js 24 is needed to run the bundled actions as the runner does: ${stderr || (error as Error).message}`, {
      cause: error,
    });
  }
  return found;
}
