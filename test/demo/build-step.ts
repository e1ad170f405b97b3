/**
 * The workflow's build job in the demo: build-push of a tiny FROM-scratch image to the sandbox's ECR, when the
 * suite's dockerd and registry are installed here. The storefront keeps running the catalogued sample image.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSha } from '../support/build-push';
import type { ActionRun } from '../support/run-action';
import type { BuildInfra } from '../support/build-infra';
import type { Sandbox } from '@ecs-deploy/sandbox';
import type { Lane } from './record';
import { runStep } from './step';
import { dim } from './terminal';

/** A build context any builder can build offline: no base image to pull. Each run is a new commit, so it builds. */
function tinyContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-build-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY release.txt /\n');
  writeFileSync(join(dir, 'release.txt'), 'storefront\n');
  return dir;
}

export async function buildPush(sandbox: Sandbox, infra: BuildInfra, lane?: Lane): Promise<ActionRun> {
  const workspace = tinyContext();
  try {
    const run = await runStep(
      'Build and push',
      'build-push',
      { repository: 'storefront', 'create-repository': 'true' },
      {
        cwd: workspace,
        env: {
          ...sandbox.env(),
          ...infra.env,
          GITHUB_SHA: newSha(),
          GITHUB_REPOSITORY: 'acme/storefront',
          GITHUB_SERVER_URL: 'https://github.com',
        },
        lane,
      },
    );
    if (run.outputs.digest) console.log(`  pushed ${run.outputs.image}`);
    return run;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

export function explainSkippedBuild(why: string): void {
  console.log(
    dim(
      `\n━━ Build and push: skipped, because no Docker engine runs here (${why}). ` +
        'To include it, run `bash test/support/registry/ensure.sh` once (it installs them with apt-get), then `npm run demo` again.',
    ),
  );
}
