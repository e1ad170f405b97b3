import type { KeyValue } from '../../common';
import type { LifecycleRequest } from './lifecycle';
import type { Severity } from './severity';

export const BUILDERS = ['docker', 'buildx', 'classic', 'buildah', 'podman'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];

export const REGISTRY_KINDS = ['private', 'public'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** A build secret: read by the builder from an environment variable of the step, or from a file. */
export interface BuildSecret {
  id: string;
  /** The variable's name (never its value). */
  env?: string;
  /** Absolute path. */
  file?: string;
}

/** What build-push was asked to do: its inputs, read and validated. */
export interface BuildRequest {
  region: string;
  repository: string;
  /** Absolute paths, resolved against the workspace. */
  context: string;
  dockerfile: string;
  buildArgs: KeyValue[];
  target?: string;
  /** Input 'labels', added to the OCI labels build-push sets. */
  labels: KeyValue[];
  /** Input 'no-cache': build every step afresh. */
  noCache: boolean;
  /** Inputs 'secrets' and 'secret-files'. */
  secrets: BuildSecret[];
  /** Input 'ssh': `default` or id=path. */
  ssh: string[];
  platforms: string[];
  extraTags: string[];
  push: boolean;
  cache: boolean;
  skipExisting: boolean;
  createRepository: boolean;
  /** The lifecycle policy of a repository this step creates (inputs lifecycle-*); undefined: none. */
  lifecycle?: LifecycleRequest;
  scanThreshold?: Severity;
  scanTimeoutMs: number;
  /** The account whose registry holds the repository (input 'registry-id'); undefined: the caller's own. */
  registryId?: string;
  /** Input 'registry': private ECR (the default) or ECR Public. Undefined: private. */
  registry?: RegistryKind;
  /** Undefined: pick the first installed of docker, buildah, podman. */
  builder?: BuilderChoice;
}
