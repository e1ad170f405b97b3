/**
 * The seam between build-push and the registry it pushes to: private ECR (the caller's registry, or another
 * account's with registry-id) and ECR Public differ in their API, in what they can do (scanning, lifecycle policies,
 * tag immutability) and in where images go, but build-push asks each the same questions in the same order.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { CancellationSignal, Clock, Logger } from '../../common';
import { registryCredentials, type RegistryCredentials } from './login';
import { ensureRepository, findImage, type ExistingImage, type RepositoryFacts } from './repository';
import type { BuildRequest } from './request';
import { waitForScan, type Finding } from './scan-gate';
import { addTags } from './tag-existing';
import { refuseImmutableMoves } from './tag-mutability';

export interface ScanTarget {
  repository: string;
  digest: string;
  /** The image as the outputs name it, for messages. */
  image: string;
  timeoutMs: number;
}

export interface ImageRegistry {
  /** How the step's messages name the registry ("ECR", "ECR Public"). */
  readonly name: string;
  /**
   * Finds the repository, or creates it when the request allows, after refusing what it cannot take (a tag it would
   * not let move), so nothing changes for a build that would fail.
   */
  ensureRepository(request: BuildRequest, commitSha: string, log: Logger): Promise<RepositoryFacts>;
  /** The registry's credential for the builder, masked before anything could print it. */
  credentials(setSecret: (value: string) => void, repositoryUri?: string): Promise<RegistryCredentials>;
  /** The image a tag names in the repository, or undefined when there is none. */
  findImage(repository: string, tag: string): Promise<ExistingImage | undefined>;
  /** Adds tags to an image the repository already holds, without pulling or pushing a layer. */
  addTags(repository: string, digest: string, tags: string[]): Promise<void>;
  /** Waits for the registry's scan of the image and returns its findings; absent when the registry scans nothing. */
  waitForScan?(target: ScanTarget, deps: { log: Logger; clock?: Clock; signal?: CancellationSignal }): Promise<Finding[]>;
}

/**
 * What image references start with: the repository's URI without its name, e.g. the registry host for private ECR,
 * public.ecr.aws/<alias> for ECR Public; the credential's host when the registry's answer gave no URI.
 */
export function imagePrefix(repositoryUri: string | undefined, repository: string, host: string): string {
  return repositoryUri?.endsWith(`/${repository}`) ? repositoryUri.slice(0, -repository.length - 1) : host;
}

/** Private ECR: the caller's registry in the request's region, or the one of registryId (input 'registry-id'). */
export function privateEcr(ecr: ECRClient, registryId?: string): ImageRegistry {
  return {
    name: 'ECR',
    ensureRepository: (request, commitSha, log) =>
      ensureRepository(
        ecr,
        request.repository,
        {
          create: request.createRepository,
          registryId,
          lifecycle: request.lifecycle,
          check: (facts) => refuseImmutableMoves(ecr, { repository: request.repository, registryId, facts }, request.extraTags, commitSha),
        },
        log,
      ),
    credentials: (setSecret, repositoryUri) => registryCredentials(ecr, setSecret, repositoryUri),
    findImage: (repository, tag) => findImage(ecr, repository, tag, registryId),
    addTags: (repository, digest, tags) => addTags(ecr, repository, digest, tags, registryId),
    waitForScan: (target, deps) => waitForScan(ecr, { ...target, registryId }, deps),
  };
}
