/** What the builders print, read back: the pushed digest and how many steps came from the cache. */

export interface CacheUse {
  cached: number;
  steps: number;
}

/** `docker push` ends with `<tag>: digest: sha256:<hex> size: <n>`. */
export function digestFromPushOutput(output: string): string | undefined {
  return /: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(output)?.[1];
}

/** buildx's metadata file names the pushed manifest under `containerimage.digest`. */
export function digestFromBuildxMetadata(json: string): string | undefined {
  const digest = (JSON.parse(json) as Record<string, unknown>)['containerimage.digest'];
  return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}

/**
 * Classic builder and buildah: `Step n/m :` (or `STEP n/m:`) lines, each followed by `Using cache` when reused.
 * FROM steps start a stage rather than produce a layer, so they are never cached and not counted.
 */
export function cacheUseOfStepLog(output: string): CacheUse {
  const steps = output.match(/^(?:Step|STEP) \d+\/\d+ ?: (?!FROM )/gim)?.length ?? 0;
  const cached = output.match(/(?:---> Using cache|^--> Using cache)/gm)?.length ?? 0;
  return { cached, steps };
}

/** buildx (plain progress): `#n [stage k/m] ...` lines, with `#n CACHED` for the reused ones. */
export function cacheUseOfBuildxLog(output: string): CacheUse {
  const steps = new Set([...output.matchAll(/^#(\d+) \[[^\]]*\d+\/\d+\]/gm)].map((m) => m[1]));
  const cached = new Set([...output.matchAll(/^#(\d+) CACHED$/gm)].map((m) => m[1]).filter((id) => steps.has(id)));
  return { cached: cached.size, steps: steps.size };
}
