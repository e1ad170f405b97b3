/**
 * Reads images from the real registry behind the sandbox's ECR over its HTTP API v2 (distribution spec):
 * tags from `/v2/<name>/tags/list`, digests from the `Docker-Content-Digest` header of a manifest fetched
 * with every manifest media type in Accept, so the registry answers the manifest exactly as pushed.
 */
import type { RegistryOptions } from './state';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryManifest {
  digest: string;
  mediaType: string;
  /** The manifest exactly as stored: its bytes are what the digest is of. */
  body: string;
  /** Config and layers as stored (compressed), the way ECR counts imageSizeInBytes. */
  sizeInBytes: number;
  artifactMediaType?: string;
}

export class RegistryClient {
  constructor(private readonly options: RegistryOptions) {}

  private get authorization(): string {
    return `Basic ${Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64')}`;
  }

  private url(path: string): string {
    return `${this.options.endpoint.replace(/\/$/, '')}/v2/${path}`;
  }

  private async get(path: string, accept?: string[]): Promise<Response> {
    return fetch(this.url(path), { headers: { Authorization: this.authorization, ...(accept ? { Accept: accept.join(', ') } : {}) } });
  }

  /** Stores a manifest (whose blobs the registry already holds) under a tag. */
  async putManifest(repository: string, tag: string, body: string, mediaType: string): Promise<void> {
    const response = await fetch(this.url(`${repository}/manifests/${tag}`), {
      method: 'PUT',
      headers: { Authorization: this.authorization, 'Content-Type': mediaType },
      body,
    });
    if (response.status !== 201)
      throw new Error(`registry answered ${response.status} storing ${repository}:${tag}: ${await response.text()}`);
  }

  /** Tags of a repository; none when the registry has never seen it. */
  async tags(repository: string): Promise<string[]> {
    const response = await this.get(`${repository}/tags/list`);
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(`registry answered ${response.status} listing the tags of ${repository}`);
    const body = (await response.json()) as { tags?: string[] | null };
    return (body.tags ?? []).sort();
  }

  /** The manifest a tag or digest names, or undefined when there is none. */
  async manifest(repository: string, reference: string): Promise<RegistryManifest | undefined> {
    const response = await this.get(`${repository}/manifests/${reference}`, MANIFEST_TYPES);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`registry answered ${response.status} for ${repository}:${reference}`);
    const body = await response.text();
    const digest = response.headers.get('docker-content-digest') ?? '';
    const parsed = JSON.parse(body) as {
      mediaType?: string;
      config?: { size?: number; mediaType?: string };
      layers?: Array<{ size?: number }>;
      manifests?: Array<{ size?: number }>;
    };
    const mediaType = parsed.mediaType ?? response.headers.get('content-type') ?? MANIFEST_TYPES[1];
    const parts = [parsed.config, ...(parsed.layers ?? []), ...(parsed.manifests ?? [])];
    return {
      digest,
      mediaType,
      body,
      sizeInBytes: parts.reduce((total, part) => total + (part?.size ?? 0), 0),
      artifactMediaType: parsed.config?.mediaType,
    };
  }
}
