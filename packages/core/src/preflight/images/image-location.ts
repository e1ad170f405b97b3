import { parseImageReference } from '../../common/image-reference';
import { partitionOf } from '../../common/partitions';

/** An image in an ECR private registry: the account and region come from its host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
export interface EcrImage {
  kind: 'ecr';
  image: string;
  registryId: string;
  region: string;
  repository: string;
  /** The tag ECS pulls, or undefined when a digest pins the image. */
  tag?: string;
  digest?: string;
}

/** An image in any other registry (Docker Hub, GHCR, ECR Public, a private host), as the Registry HTTP API v2 names it. */
export interface RegistryImage {
  kind: 'registry';
  image: string;
  /** Where the API answers: Docker Hub's `docker.io` is served by `registry-1.docker.io`. */
  host: string;
  name: string;
  /** A digest when the image is pinned by one (ECS pulls by digest then), else the tag (`latest` when none). */
  reference: string;
}

export type ImageLocation =
  | EcrImage
  | RegistryImage
  /** `placeholder`: the unfilled template placeholder the reference is, or holds (`${IMAGE}`, `<IMAGE1_NAME>`). */
  | { kind: 'unparsed'; image: string; problem: string; placeholder?: string };

// The ECR private registry host, `<account>.dkr.ecr[-fips].<region>.<DNS suffix>` (ECR API reference, "Amazon ECR
// endpoints"), the suffix being the region's partition's: amazonaws.com, amazonaws.com.cn, amazonaws.eu, c2s.ic.gov...
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.([a-z0-9.-]+)$/;

function ecrHost(host: string): { registryId: string; region: string } | undefined {
  const match = ECR_HOST.exec(host);
  if (!match || partitionOf(match[2]).dnsSuffix !== match[3]) return undefined;
  return { registryId: match[1], region: match[2] };
}

/** Where an image lives, as Docker resolves a reference: a first component with a dot, a port or `localhost` is a host. */
export function locateImage(image: string): ImageLocation {
  const parsed = parseImageReference(image);
  if ('problem' in parsed) return { kind: 'unparsed', image, ...parsed };
  const slash = parsed.repository.indexOf('/');
  const first = slash < 0 ? '' : parsed.repository.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  const path = hasHost ? parsed.repository.slice(slash + 1) : parsed.repository;
  const ecr = ecrHost(host);
  if (ecr)
    return {
      kind: 'ecr',
      image,
      registryId: ecr.registryId,
      region: ecr.region,
      repository: path,
      tag: parsed.digest ? undefined : (parsed.tag ?? 'latest'),
      digest: parsed.digest,
    };
  const dockerHub = host === 'docker.io' || host === 'index.docker.io';
  return {
    kind: 'registry',
    image,
    host: dockerHub ? 'registry-1.docker.io' : host,
    // Docker Hub's official images live under library/.
    name: dockerHub && !path.includes('/') ? `library/${path}` : path,
    reference: parsed.digest ?? parsed.tag ?? 'latest',
  };
}
