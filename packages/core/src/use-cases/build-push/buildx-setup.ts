import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WorkflowCancelled, type CommandRunner, type Logger } from '../../common';
import { buildxCreateArgs, buildxRemoveArgs, type BuildxRun } from './args';
import { dockerConfigDir } from './registry-config';
import { decideBuildxCache, parseBuildxInspect, usesContainerdImageStore } from './buildx-cache';

/**
 * How long a removal waits for a `buildx create` still running: the runner sends SIGTERM 7.5 s after the SIGINT
 * of a cancellation, and `buildx rm` needs the rest. Its --bootstrap may be pulling BuildKit's image for longer;
 * by then buildx has recorded the builder, so the removal finds it.
 */
export const CREATE_WAIT_MS = 5_000;

export interface BuildxSetup {
  run: BuildxRun;
  /** The build's environment: the login's, plus BUILDX_CONFIG so buildx still finds the runner's builders. */
  env: Record<string, string>;
  /** Removes the builder made for this build, if one was; never throws (a leftover builder is only a warning). */
  dispose(): Promise<void>;
}

/**
 * Reads the builder buildx would use and the daemon's image store, decides the cache mode, and when the builder
 * cannot export a registry cache makes a docker-container builder for this build only. If that builder cannot
 * start (no network for its BuildKit image, say), the build keeps the builder it had and an inline cache.
 * Every branch says in the log which builder and cache mode were used and why.
 */
export async function prepareBuildx(
  wanted: { cache: boolean; push: boolean },
  deps: {
    runner: CommandRunner;
    log: Logger;
    env: NodeJS.ProcessEnv;
    loginEnv: Record<string, string>;
    /**
     * Given the removal of the builder about to be made, before `buildx create`: a cancelled step ends without
     * waiting for the build (and so for dispose), and removes the builder with this instead.
     */
    onBuilder?: (remove: () => Promise<void>) => void;
    /** CREATE_WAIT_MS, shorter in tests. */
    createWaitMs?: number;
  },
): Promise<BuildxSetup> {
  const { runner, log, env: runEnv } = deps;
  const env = { ...deps.loginEnv, BUILDX_CONFIG: buildxConfigDir(runEnv) };
  const tools = { runner: deps.runner, log: deps.log, env };
  const nothing = async () => {};
  if (!wanted.cache) {
    log.info("Buildx cache: none (input 'cache' is false); building with the builder buildx picks.");
    return { run: { cache: 'none' }, env, dispose: nothing };
  }
  // `docker buildx inspect` without a name describes what a build would use: BUILDX_BUILDER, else the current one.
  const [inspect, info] = await Promise.all([
    runner.read('docker', ['buildx', 'inspect'], env),
    runner.read('docker', ['info', '--format', '{{json .}}'], env),
  ]);
  const decision = decideBuildxCache({
    cache: wanted.cache,
    push: wanted.push,
    builder: inspect === undefined ? undefined : parseBuildxInspect(inspect),
    builderFromEnv: runEnv.BUILDX_BUILDER || undefined,
    containerdImageStore: info !== undefined && usesContainerdImageStore(info),
  });
  if (decision.action === 'use') {
    log.info(`Buildx cache: ${decision.mode}, on ${decision.builder ?? 'the builder buildx picks'}, because ${decision.reason}.`);
    return { run: { cache: decision.mode }, env, dispose: nothing };
  }
  const name = `build-push-${randomUUID().slice(0, 8)}`;
  let creating: Promise<unknown> = Promise.resolve();
  let removal: Promise<void> | undefined;
  // Once, whoever asks first: the build's own end, or the cancellation. A cancellation may land while
  // `buildx create` runs: removing at once would find no builder yet and leave the one create then records, so
  // the removal waits for create (within CREATE_WAIT_MS) and then removes whatever is there.
  const remove = () => (removal ??= settledWithin(creating, deps.createWaitMs ?? CREATE_WAIT_MS).then(() => removeBuilder(name, tools)));
  // Registered before create starts: the name is known, and the cancellation may come at any moment from here.
  deps.onBuilder?.(remove);
  try {
    creating = runner.run('docker', buildxCreateArgs(name), { env });
    await creating;
    // Cancelled while create ran: the removal is under way; no build is to start on the builder it removes.
    if (removal) throw new WorkflowCancelled();
  } catch (error) {
    if (error instanceof WorkflowCancelled) throw error;
    log.warning(
      `Buildx cache: inline, on the builder buildx picks, because ${decision.reason}, and a docker-container builder for this build could not start: ${(error as Error).message}`,
    );
    // --bootstrap fails after the builder is recorded; remove it quietly (there may be nothing to remove).
    await runner.read('docker', buildxRemoveArgs(name), env);
    return { run: { cache: 'inline' }, env, dispose: nothing };
  }
  log.info(
    `Buildx cache: registry, on builder ${name} (driver docker-container, made for this build and removed after it), because ${decision.reason}.`,
  );
  return { run: { cache: 'registry', builder: name }, env, dispose: remove };
}

/**
 * Where buildx keeps its builders: $BUILDX_CONFIG, else $DOCKER_CONFIG/buildx (buildx's confutil.ConfigDir).
 * The login's copy of DOCKER_CONFIG links the runner's buildx folder when there is one; naming it also keeps a
 * builder made for this build out of the copy when there is none.
 */
export function buildxConfigDir(env: NodeJS.ProcessEnv): string {
  return env.BUILDX_CONFIG || join(dockerConfigDir(env), 'buildx');
}

async function removeBuilder(
  name: string,
  { runner, log, env }: { runner: CommandRunner; log: Logger; env: Record<string, string> },
): Promise<void> {
  try {
    await runner.run('docker', buildxRemoveArgs(name), { env });
  } catch (error) {
    const message = (error as Error).message;
    // Nothing to remove (create failed, or never got as far as recording it): nothing is left behind either.
    if (NO_SUCH_BUILDER.test(message)) return;
    // A leftover builder costs the runner a container, not the build its verdict: warn, do not fail.
    log.warning(`Could not remove buildx builder ${name}: ${message}`);
  }
}

// buildx's answer to `buildx rm` of a name it has no builder of: `ERROR: no builder "name" found`.
const NO_SUCH_BUILDER = /no builder "?[\w.-]+"? found/i;

/** Resolves once the work settles, or after ms, whichever is first; never rejects. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
