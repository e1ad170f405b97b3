/**
 * build-push: a re-run of a commit whose image already exists (DescribeImages, no build) against a full build and
 * push of a changed context, both through the bundled action, the real dockerd and the real registry.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext, newSha, runBuildPush, startBuildWorld } from '../support/build-push';
import { formatRow } from './stats';

export async function benchBuildPush(runs: number): Promise<string[]> {
  const world = await startBuildWorld();
  try {
    const repository = `bench-${Date.now().toString(36)}`;
    const workspace = makeContext({ 'index.html': 'start' });
    const builds: number[] = [];
    const reruns: number[] = [];
    for (let i = 0; i < runs; i++) {
      const sha = newSha();
      writeFileSync(join(workspace, 'app', 'index.html'), `release ${i} ${sha}`);
      const built = await runBuildPush(world, { repository, 'create-repository': 'true' }, { sha, workspace });
      if (built.outputs.built !== 'true') throw new Error(`the build did not build:\n${built.log}`);
      builds.push(built.finishedAt - built.startedAt);
      const again = await runBuildPush(world, { repository }, { sha, workspace });
      if (again.outputs.built !== 'false' || again.outputs.digest !== built.outputs.digest)
        throw new Error(`the re-run was not skipped:\n${again.log}`);
      reruns.push(again.finishedAt - again.startedAt);
    }
    return [
      formatRow('build-push: full build and push (changed context)', builds, 'ms'),
      formatRow('build-push: re-run, image already in ECR', reruns, 'ms', 3000),
    ];
  } finally {
    await world.stop();
  }
}
