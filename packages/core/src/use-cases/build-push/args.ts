/**
 * Command lines of each builder, as pure functions of the plan (table-tested). Secrets never appear here:
 * credentials reach the builders through files (DOCKER_CONFIG, REGISTRY_AUTH_FILE), not arguments.
 */
import type { KeyValue } from '../../common';
import type { BuildxCacheMode } from './buildx-cache';
import { references, type BuildPlan } from './plan';

const pairs = (flag: string, values: KeyValue[]) => values.flatMap(({ name, value }) => [flag, `${name}=${value}`]);
const each = (flag: string, values: string[]) => values.flatMap((value) => [flag, value]);
const optional = (flag: string, value: string | undefined) => (value === undefined ? [] : [flag, value]);

function common(plan: BuildPlan): string[] {
  return [
    '--file',
    plan.dockerfile,
    ...pairs('--build-arg', plan.buildArgs),
    ...optional('--target', plan.target),
    ...pairs('--label', plan.labels),
    ...each('--tag', references(plan)),
    ...(plan.noCache ? ['--no-cache'] : []),
  ];
}

/**
 * Secrets and SSH as buildx and buildah/podman take them (`--secret id=<id>,env=<VAR>` or `id=<id>,src=<file>`,
 * `--ssh default|<id>=<path>`): only a variable's name or a file's path, never a value. The classic builder has
 * neither; chooseBuilder refuses them there before any AWS call.
 */
function secretArgs(plan: BuildPlan): string[] {
  return [
    ...plan.secrets.flatMap((secret) => [
      '--secret',
      secret.env ? `id=${secret.id},env=${secret.env}` : `id=${secret.id},src=${secret.file}`,
    ]),
    ...each('--ssh', plan.ssh),
  ];
}

/** How this buildx build runs: on which builder (undefined: the one buildx picks) and with which cache. */
export interface BuildxRun {
  /** A builder made for this build; passed as --builder so the runner's default builder is left alone. */
  builder?: string;
  cache: BuildxCacheMode;
}

/**
 * `docker buildx build`: pushes every tag in one go and writes the digest to the metadata file. The registry
 * cache uses the form ECR accepts: an image manifest with OCI media types, not buildx's default cache index.
 * Provenance attestations are off so the pushed manifest is the image itself, which ECR scans.
 */
export function buildxArgs(plan: BuildPlan, run: BuildxRun = { cache: plan.cacheRef ? 'registry' : 'none' }): string[] {
  return [
    'buildx',
    'build',
    ...optional('--builder', run.builder),
    ...common(plan),
    ...secretArgs(plan),
    ...pairs('--annotation', plan.labels),
    ...(plan.platforms.length ? ['--platform', plan.platforms.join(',')] : []),
    ...cacheArgs(plan, run.cache),
    '--provenance=false',
    '--metadata-file',
    plan.metadataFile,
    plan.push ? '--push' : '--load',
    plan.context,
  ];
}

/**
 * registry: the cache is its own manifest under the cache tag. inline: for a builder that cannot export one
 * (the docker driver without the containerd image store), the cache metadata rides in the pushed image, and the
 * image is also tagged with the cache tag (mutable, as create-repository makes it) so the next build reads it
 * from the same place either mode writes. The docker driver accepts it: buildx's build/opt.go refuses a cache
 * export on a driver without the CacheExport feature only for types other than "inline"
 * (`e.Type != "inline" && !nodeDriver.Features(ctx)[driver.CacheExport]`).
 */
function cacheArgs(plan: BuildPlan, mode: BuildxCacheMode): string[] {
  if (!plan.cacheRef || mode === 'none') return [];
  // With no-cache nothing is read, but the fresh cache is still written for the next build.
  const from = plan.noCache ? [] : ['--cache-from', `type=registry,ref=${plan.cacheRef}`];
  if (!plan.push) return from;
  if (mode === 'inline') return [...from, '--cache-to', 'type=inline', '--tag', plan.cacheRef];
  return [...from, '--cache-to', `type=registry,ref=${plan.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`];
}

/** Creates the docker-container builder of one build; not --use, so the runner's default builder stays. */
export function buildxCreateArgs(name: string): string[] {
  return ['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap'];
}

export function buildxRemoveArgs(name: string): string[] {
  return ['buildx', 'rm', name];
}

/** The classic builder builds locally; pushing is a separate `docker push` per tag. */
export function classicBuildArgs(plan: BuildPlan): string[] {
  return ['build', ...common(plan), ...(plan.platforms.length ? ['--platform', plan.platforms[0]] : []), plan.context];
}

export function classicPushArgs(reference: string): string[] {
  return ['push', reference];
}

/** buildah and podman share their build flags; `--layers` keeps the local layer cache between builds. */
export function containersBuildArgs(plan: BuildPlan): string[] {
  return [
    'build',
    '--layers',
    ...common(plan),
    ...secretArgs(plan),
    ...pairs('--annotation', plan.labels),
    ...(plan.platforms.length ? ['--platform', plan.platforms[0]] : []),
    plan.context,
  ];
}

export function containersPushArgs(plan: BuildPlan, reference: string): string[] {
  return ['push', '--digestfile', plan.metadataFile, reference, `docker://${reference}`];
}
