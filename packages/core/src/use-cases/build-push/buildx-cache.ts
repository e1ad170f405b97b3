/**
 * Which buildx builder and which cache mode a build uses: pure parsing of `docker buildx inspect` and
 * `docker info --format '{{json .}}'`, and a pure decision over them (table-tested with real-shaped outputs).
 *
 * Why: the default builder on GitHub-hosted runners uses the `docker` driver, which refuses a registry cache
 * export ("Cache export is not supported for the docker driver. Switch to a different driver, or turn on the
 * containerd image store, and try again.") unless the daemon uses the containerd image store. Docker's
 * "Cache storage backends" page: the `docker` driver supports the registry backend only with the containerd
 * image store; its "Build drivers" table gives cache export to docker-container, kubernetes and remote.
 */

/** A builder as `docker buildx inspect` describes it. */
export interface BuildxBuilderInfo {
  name: string;
  driver: string;
}

/** Drivers whose builders export a registry cache whatever the daemon's image store (docker's drivers table). */
export const EXPORTING_DRIVERS = ['docker-container', 'kubernetes', 'remote'] as const;

/**
 * The builder's own Name and Driver: the lines before "Nodes:". The text form, confirmed from buildx's
 * docs/reference/buildx_inspect.md and docker/actions-toolkit's inspect fixtures:
 *   Name:          elated_tesla
 *   Driver:        docker-container
 *   Last Activity: 2022-11-30 12:42:47 +0100 CET
 *
 *   Nodes:
 *   Name:          elated_tesla0
 * Node blocks repeat "Name:" (the node's), so only the header counts. Undefined when either line is missing.
 */
export function parseBuildxInspect(text: string): BuildxBuilderInfo | undefined {
  const header = text.split(/\r?\n/);
  let name: string | undefined;
  let driver: string | undefined;
  for (const line of header) {
    if (/^Nodes:\s*$/.test(line)) break;
    const field = /^(Name|Driver):\s*(\S.*?)\s*$/.exec(line);
    if (field?.[1] === 'Name') name ??= field[2];
    if (field?.[1] === 'Driver') driver ??= field[2];
  }
  return name && driver ? { name, driver } : undefined;
}

/**
 * True when the daemon stores images in containerd: `docker info --format '{{json .}}'` then has
 * "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]] (the form docker's containerd image store
 * docs show for `docker info --format '{{json .DriverStatus}}'`; the classic store lists pairs such as
 * ["Backing Filesystem","extfs"]). Text around the JSON (a daemon warning) is ignored; unreadable JSON is false.
 */
export function usesContainerdImageStore(dockerInfoJson: string): boolean {
  const start = dockerInfoJson.indexOf('{');
  const end = dockerInfoJson.lastIndexOf('}');
  if (start < 0 || end < start) return false;
  let info: unknown;
  try {
    info = JSON.parse(dockerInfoJson.slice(start, end + 1));
  } catch {
    return false;
  }
  const status = (info as { DriverStatus?: unknown }).DriverStatus;
  if (!Array.isArray(status)) return false;
  return status.some(
    (pair) =>
      Array.isArray(pair) && pair[0] === 'driver-type' && typeof pair[1] === 'string' && pair[1].startsWith('io.containerd.snapshotter.v1'),
  );
}

/** registry: --cache-to type=registry; inline: the cache rides in the pushed image; none: no cache flags. */
export type BuildxCacheMode = 'registry' | 'inline' | 'none';

export interface BuildxCacheFacts {
  /** Input 'cache'. */
  cache: boolean;
  /** Input 'push': without a push nothing is exported, and the docker driver imports a registry cache fine. */
  push: boolean;
  /** What `docker buildx inspect` said of the builder buildx would use (BUILDX_BUILDER, else the current one). */
  builder?: BuildxBuilderInfo;
  /**
   * BUILDX_BUILDER from the workflow's environment (buildx's own override of the current builder). Checked:
   * docker/setup-buildx-action's src/main.ts does not export it; it makes its builder current with `--use`
   * (input `use`, default true), which `docker buildx inspect` reports just the same.
   */
  builderFromEnv?: string;
  containerdImageStore: boolean;
}

export type BuildxCacheDecision =
  { action: 'use'; mode: BuildxCacheMode; builder?: string; reason: string } | { action: 'create'; reason: string };

/** Use the builder buildx would pick, or make a docker-container builder for this build only. */
export function decideBuildxCache(facts: BuildxCacheFacts): BuildxCacheDecision {
  const { builder } = facts;
  const which = builder
    ? `builder ${builder.name} (driver ${builder.driver}${facts.builderFromEnv ? ', named by BUILDX_BUILDER' : ''})`
    : facts.builderFromEnv
      ? `builder ${facts.builderFromEnv} named by BUILDX_BUILDER`
      : 'the current builder';
  if (!facts.cache) return { action: 'use', mode: 'none', builder: builder?.name, reason: `input 'cache' is false; ${which}` };
  if (!facts.push)
    return {
      action: 'use',
      mode: 'registry',
      builder: builder?.name,
      reason: `push is false, so the cache is only read, which every driver can; ${which}`,
    };
  if (!builder) return { action: 'create', reason: `docker buildx inspect did not describe ${which}, so its cache export is unknown` };
  if ((EXPORTING_DRIVERS as readonly string[]).includes(builder.driver))
    return { action: 'use', mode: 'registry', builder: builder.name, reason: `${which} exports a registry cache` };
  if (builder.driver === 'docker' && facts.containerdImageStore)
    return {
      action: 'use',
      mode: 'registry',
      builder: builder.name,
      reason: `${which} with the containerd image store exports a registry cache`,
    };
  return {
    action: 'create',
    reason:
      builder.driver === 'docker'
        ? `${which} cannot export a registry cache without the containerd image store, which this daemon does not use`
        : `${which} is not one known to export a registry cache (${EXPORTING_DRIVERS.join(', ')}, or docker with the containerd image store)`,
  };
}
