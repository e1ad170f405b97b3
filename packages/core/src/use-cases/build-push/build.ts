import { readFileSync } from 'node:fs';
import { ActionFailure, type CommandRunner } from '../../common';
import { buildxArgs, type BuildxRun, classicBuildArgs, classicPushArgs, containersBuildArgs, containersPushArgs } from './args';
import type { BuilderKind } from './builder';
import { cacheUseOfBuildxLog, cacheUseOfStepLog, digestFromBuildxMetadata, digestFromPushOutput, type CacheUse } from './build-output';
import { references, type BuildPlan } from './plan';

export interface Built {
  /** The pushed manifest's digest; undefined when nothing was pushed. */
  digest?: string;
  cache: CacheUse;
}

/** Builds the plan with the chosen builder and, when the plan says so, pushes every tag. */
export async function buildImage(
  kind: BuilderKind,
  plan: BuildPlan,
  env: Record<string, string>,
  runner: CommandRunner,
  buildx?: BuildxRun,
): Promise<Built> {
  if (kind === 'buildx') return buildWithBuildx(plan, env, runner, buildx);
  if (kind === 'classic') return buildClassic(plan, env, runner);
  return buildWithContainersTool(kind, plan, env, runner);
}

async function buildWithBuildx(plan: BuildPlan, env: Record<string, string>, runner: CommandRunner, run?: BuildxRun): Promise<Built> {
  const output = await runner.run('docker', buildxArgs(plan, run), {
    env: { ...env, BUILDX_NO_DEFAULT_ATTESTATIONS: '1', BUILDKIT_PROGRESS: 'plain' },
  });
  const digest = plan.push ? digestFromBuildxMetadata(readFileSync(plan.metadataFile, 'utf8')) : undefined;
  if (plan.push && !digest) throw new ActionFailure('docker buildx pushed the image but its metadata file names no digest.');
  return { digest, cache: cacheUseOfBuildxLog(output) };
}

async function buildClassic(plan: BuildPlan, env: Record<string, string>, runner: CommandRunner): Promise<Built> {
  // Newer docker clients hand `docker build` to BuildKit, which needs buildx; this path is the classic builder.
  const classicEnv = { ...env, DOCKER_BUILDKIT: '0' };
  const output = await runner.run('docker', classicBuildArgs(plan), { env: classicEnv });
  if (!plan.push) return { cache: cacheUseOfStepLog(output) };
  const digests = new Set<string>();
  for (const reference of references(plan)) {
    const pushed = digestFromPushOutput(await runner.run('docker', classicPushArgs(reference), { env: classicEnv }));
    if (!pushed) throw new ActionFailure(`docker push ${reference} did not report the pushed digest.`);
    digests.add(pushed);
  }
  if (digests.size !== 1) throw new ActionFailure(`The tags of one build were pushed with different digests (${[...digests].join(', ')}).`);
  return { digest: [...digests][0], cache: cacheUseOfStepLog(output) };
}

async function buildWithContainersTool(
  tool: 'buildah' | 'podman',
  plan: BuildPlan,
  env: Record<string, string>,
  runner: CommandRunner,
): Promise<Built> {
  const output = await runner.run(tool, containersBuildArgs(plan), { env });
  if (!plan.push) return { cache: cacheUseOfStepLog(output) };
  const digests = new Set<string>();
  for (const reference of references(plan)) {
    await runner.run(tool, containersPushArgs(plan, reference), { env });
    digests.add(readFileSync(plan.metadataFile, 'utf8').trim());
  }
  if (digests.size !== 1) throw new ActionFailure(`The tags of one build were pushed with different digests (${[...digests].join(', ')}).`);
  return { digest: [...digests][0], cache: cacheUseOfStepLog(output) };
}
