import { createHash } from 'node:crypto';
import type { BuildInfra } from '../build-infra';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * Pushes a one-config OCI manifest straight through the registry's HTTP API v2 (monolithic blob upload, then
 * PUT of the manifest), for tests of the sandbox's ECR that need an image but not a build. Returns its digest.
 */
export async function pushManifest(infra: BuildInfra, repository: string, tag: string, content: string): Promise<string> {
  const auth = { Authorization: `Basic ${Buffer.from(`${infra.username}:${infra.password}`).toString('base64')}` };
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { content } }, rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const configDigest = sha256(config);
  const started = await fetch(`${infra.registryEndpoint}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth });
  if (started.status !== 202) throw new Error(`blob upload start answered ${started.status}`);
  const location = new URL(started.headers.get('location') as string, infra.registryEndpoint);
  location.searchParams.set('digest', configDigest);
  const uploaded = await fetch(location, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: config });
  if (uploaded.status !== 201) throw new Error(`blob upload answered ${uploaded.status}`);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [],
  });
  const put = await fetch(`${infra.registryEndpoint}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...auth, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`manifest PUT answered ${put.status}: ${await put.text()}`);
  return sha256(manifest);
}
