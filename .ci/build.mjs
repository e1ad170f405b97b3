// Bundles every action with ncc into its committed dist/. Run by `npm run build`; CI runs it and fails on a diff.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

// --transpile-only skips ncc's type check (npm run typecheck does it) for the same bundles, 2-3 times sooner.
const transpileOnly = process.argv.includes('--transpile-only');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const actions = readdirSync('actions')
  .filter((name) => existsSync(join('actions', name, 'src', 'main.ts')))
  .filter((name) => only.length === 0 || only.includes(name));

/** One action's bundle: ncc in a process of its own, so bundles build side by side on every CPU. */
function bundle(name) {
  const out = join('actions', name, 'dist');
  rmSync(out, { recursive: true, force: true });
  const args = [
    'node_modules/@vercel/ncc/dist/ncc/cli.js',
    'build',
    join('actions', name, 'src', 'main.ts'),
    '-o',
    out,
    '--license',
    'licenses.txt',
    '--target',
    'es2023',
    '--quiet',
    ...(transpileOnly ? ['--transpile-only'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) {
        console.log(`built ${out}`);
        resolve();
      } else reject(new Error(`ncc failed for ${name} (${signal ?? `exit code ${code}`})`));
    });
  });
}

// Each ncc is one busy process: as many at once as there are CPUs.
const queue = [...actions];
const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) await bundle(name);
});
const results = await Promise.allSettled(workers);
const failure = results.find((result) => result.status === 'rejected');
if (failure) {
  console.error(failure.reason instanceof Error ? failure.reason.message : failure.reason);
  process.exit(1);
}
