import type { KeyValue } from '../../common';
import type { Commit } from './commit';
import type { BuildRequest, BuildSecret } from './request';

/** Everything a builder needs, decided before it runs: pure data, so argument building is pure too. */
export interface BuildPlan {
  /** registry/repository, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web. */
  imageName: string;
  /** Tag names, the full commit SHA first. */
  tags: string[];
  context: string;
  dockerfile: string;
  buildArgs: KeyValue[];
  target?: string;
  platforms: string[];
  /** OCI labels and annotations naming the commit and the repository, then input 'labels'. */
  labels: KeyValue[];
  noCache: boolean;
  secrets: BuildSecret[];
  ssh: string[];
  push: boolean;
  /** The registry cache's reference, when the builder keeps one. */
  cacheRef?: string;
  /** Where buildx writes its metadata and buildah/podman the pushed digest. */
  metadataFile: string;
}

export const CACHE_TAG = 'cache';

export function tagsFor(commit: Commit, extra: string[]): string[] {
  return [...new Set([commit.sha, commit.short, ...extra])];
}

export const REVISION_LABEL = 'org.opencontainers.image.revision';

/** build-push's labels, then the input's; an input label of the same name (source, title) replaces build-push's. */
export function labelsFor(commit: Commit, repository: string, extra: KeyValue[] = []): KeyValue[] {
  const own = [
    { name: REVISION_LABEL, value: commit.sha },
    ...(commit.sourceUrl ? [{ name: 'org.opencontainers.image.source', value: commit.sourceUrl }] : []),
    { name: 'org.opencontainers.image.title', value: repository },
  ];
  return [...own.filter((label) => !extra.some((given) => given.name === label.name)), ...extra];
}

export function planBuild(inputs: BuildRequest, commit: Commit, registryHost: string, metadataFile: string): BuildPlan {
  const imageName = `${registryHost}/${inputs.repository}`;
  return {
    imageName,
    tags: tagsFor(commit, inputs.extraTags),
    context: inputs.context,
    dockerfile: inputs.dockerfile,
    buildArgs: inputs.buildArgs,
    target: inputs.target,
    platforms: inputs.platforms,
    labels: labelsFor(commit, inputs.repository, inputs.labels),
    noCache: inputs.noCache,
    secrets: inputs.secrets,
    ssh: inputs.ssh,
    push: inputs.push,
    cacheRef: inputs.cache ? `${imageName}:${CACHE_TAG}` : undefined,
    metadataFile,
  };
}

export const references = (plan: BuildPlan) => plan.tags.map((tag) => `${plan.imageName}:${tag}`);
