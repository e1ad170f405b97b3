// Bundles every action with ncc into its committed dist/. Run by `npm run build`; CI runs it and fails on a diff.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// --transpile-only skips ncc's type check (npm run typecheck does it) for the same bundles, 2-3 times sooner.
const transpileOnly = process.argv.includes('--transpile-only');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const actions = readdirSync('actions').filter((name) => existsSync(join('actions', name, 'src', 'main.ts')));
for (const name of actions.filter((n) => only.length === 0 || only.includes(n))) {
  const out = join('actions', name, 'dist');
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
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
    ],
    { stdio: 'inherit' },
  );
  console.log(`built ${out}`);
}
