import { parseImageReference } from '../../common/image-reference';

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

// The ECR private registry host (ECR API reference, "Amazon ECR endpoints"; FIPS and China partitions included).
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Where an image lives, as Docker resolves a reference: a first component with a dot, a port or `localhost` is a host. */
export function locateImage(image: string): ImageLocation {
  const parsed = parseImageReference(image);
  if ('problem' in parsed) return { kind: 'unparsed', image, ...parsed };
  const slash = parsed.repository.indexOf('/');
  const first = slash < 0 ? '' : parsed.repository.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  const path = hasHost ? parsed.repository.slice(slash + 1) : parsed.repository;
  const ecr = ECR_HOST.exec(host);
  if (ecr)
    return {
      kind: 'ecr',
      image,
      registryId: ecr[1],
      region: ecr[2],
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
