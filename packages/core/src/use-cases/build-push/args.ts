/**
 * Command lines of each builder, as pure functions of the plan (table-tested). Secrets never appear here:
 * credentials reach the builders through files (DOCKER_CONFIG, REGISTRY_AUTH_FILE), not arguments.
 */
import type { KeyValue } from '../../common';
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
  ];
}

/**
 * `docker buildx build`: pushes every tag in one go and writes the digest to the metadata file. The registry
 * cache uses the form ECR accepts: an image manifest with OCI media types, not buildx's default cache index.
 * Provenance attestations are off so the pushed manifest is the image itself, which ECR scans.
 */
export function buildxArgs(plan: BuildPlan): string[] {
  return [
    'buildx',
    'build',
    ...common(plan),
    ...pairs('--annotation', plan.labels),
    ...(plan.platforms.length ? ['--platform', plan.platforms.join(',')] : []),
    ...(plan.cacheRef ? ['--cache-from', `type=registry,ref=${plan.cacheRef}`] : []),
    ...(plan.cacheRef && plan.push
      ? ['--cache-to', `type=registry,ref=${plan.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`]
      : []),
    '--provenance=false',
    '--metadata-file',
    plan.metadataFile,
    plan.push ? '--push' : '--load',
    plan.context,
  ];
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
    ...pairs('--annotation', plan.labels),
    ...(plan.platforms.length ? ['--platform', plan.platforms[0]] : []),
    plan.context,
  ];
}

export function containersPushArgs(plan: BuildPlan, reference: string): string[] {
  return ['push', '--digestfile', plan.metadataFile, reference, `docker://${reference}`];
}
