/** The manifest media types that list one manifest per platform instead of describing one image. */
export const INDEX_MEDIA_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];

/** What a registry is asked to answer with: every index and manifest type, so it answers the manifest as pushed. */
export const MANIFEST_ACCEPT = [
  ...INDEX_MEDIA_TYPES,
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export function isIndex(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType.split(';')[0].trim());
}

/**
 * The architecture a task pulls, in the OCI platform's words: runtimePlatform.cpuArchitecture (X86_64 or ARM64,
 * ECS API reference, RuntimePlatform), X86_64 when the revision names none.
 */
export function pulledArchitecture(cpuArchitecture: string | undefined): { ecs: string; oci: string } {
  return cpuArchitecture === 'ARM64' ? { ecs: 'ARM64', oci: 'arm64' } : { ecs: cpuArchitecture ?? 'X86_64', oci: 'amd64' };
}

interface IndexBody {
  manifests?: Array<{ platform?: { architecture?: string; os?: string } }>;
}

/**
 * The linux platforms an index lists (`linux/amd64`, `linux/arm64`), leaving out the attestation entries
 * BuildKit adds with platform unknown/unknown (OCI image index, "platform").
 */
export function indexPlatforms(body: string): string[] {
  const parsed = JSON.parse(body) as IndexBody;
  return (parsed.manifests ?? [])
    .map((entry) => entry.platform)
    .filter((platform) => platform?.architecture && platform.architecture !== 'unknown' && (platform.os ?? 'linux') === 'linux')
    .map((platform) => `linux/${platform?.architecture}`);
}

/** A failure when the index has no manifest for the task's architecture; undefined when it has one. */
export function architectureProblem(body: string, cpuArchitecture: string | undefined): string | undefined {
  const { ecs, oci } = pulledArchitecture(cpuArchitecture);
  const platforms = indexPlatforms(body);
  if (platforms.includes(`linux/${oci}`)) return undefined;
  return `its index has ${platforms.length ? platforms.join(', ') : 'no linux platform'}, and the task runs on ${ecs} (linux/${oci}, runtimePlatform.cpuArchitecture)`;
}
