import type { KeyValue } from '../../common';
import type { Severity } from './severity';

export const BUILDERS = ['docker', 'buildx', 'classic', 'buildah', 'podman'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];

/** What build-push was asked to do: its inputs, read and validated. */
export interface BuildRequest {
  region: string;
  repository: string;
  /** Absolute paths, resolved against the workspace. */
  context: string;
  dockerfile: string;
  buildArgs: KeyValue[];
  target?: string;
  platforms: string[];
  extraTags: string[];
  push: boolean;
  cache: boolean;
  skipExisting: boolean;
  createRepository: boolean;
  scanThreshold?: Severity;
  scanTimeoutMs: number;
  /** The account whose registry holds the repository (input 'registry-id'); undefined: the caller's own. */
  registryId?: string;
  /** Undefined: pick the first installed of docker, buildah, podman. */
  builder?: BuilderChoice;
}
