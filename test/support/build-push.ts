import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { ensureBuildInfra, type BuildInfra } from './build-infra';
import { runBundledAction, type ActionRun, type RunOptions } from './run-action';
import { clientConfig, startSandbox } from './sandbox-harness';
import { registerSecret } from './secret-sweep';

/** Installing the packages on a fresh machine can take minutes; a running infrastructure answers in a second. */
export const INFRA_TIMEOUT_MS = 15 * 60_000;

export interface BuildWorld {
  infra: BuildInfra;
  sandbox: Sandbox;
  ecr: ECRClient;
  stop(): Promise<void>;
}

/** The real dockerd and registry, and a sandbox whose ECR hands out that registry's credentials. */
export async function startBuildWorld(): Promise<BuildWorld> {
  const infra = ensureBuildInfra();
  // The sandbox's ECR hands these out in GetAuthorizationToken: no run may show the password or the token.
  registerSecret(infra.password);
  registerSecret(Buffer.from(`${infra.username}:${infra.password}`).toString('base64'));
  const sandbox = await startSandbox({
    timeScale: 0.1,
    registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password },
  });
  const ecr = new ECRClient(clientConfig(sandbox));
  return { infra, sandbox, ecr, stop: () => sandbox.stop() };
}

/** A name no other test or earlier run has used: the registry's storage outlives test runs. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export const newSha = () => createHash('sha1').update(randomBytes(16)).digest('hex');

/**
 * A build context of plain files and a Dockerfile FROM scratch: no base image can be pulled offline, and a
 * file-only image is built and pushed by every builder.
 */
export function makeContext(files: Record<string, string>, dockerfile = 'FROM scratch\nCOPY . /app/\n'): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-context-'));
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'app', name), content);
  return dir;
}

/** Runs the bundled action as the runner would, in the context folder as its workspace. */
export function runBuildPush(
  world: BuildWorld,
  inputs: Record<string, string>,
  options: { sha: string; workspace: string; env?: Record<string, string>; interrupt?: RunOptions['interrupt'] },
): Promise<ActionRun> {
  return runBundledAction('build-push', inputs, {
    cwd: options.workspace,
    interrupt: options.interrupt,
    env: {
      ...world.sandbox.env(),
      ...world.infra.env,
      GITHUB_SHA: options.sha,
      GITHUB_REPOSITORY: 'octo/web',
      GITHUB_SERVER_URL: 'https://github.com',
      ...options.env,
    },
  });
}

// Every manifest type a builder may push, so the registry answers the manifest as stored rather than converting it.
const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** What the registry itself says a tag's manifest digest is, asked over HTTP API v2 with every manifest type accepted. */
export async function registryDigest(infra: BuildInfra, repository: string, tag: string): Promise<string | undefined> {
  const response = await fetch(`${infra.registryEndpoint}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Authorization: `Basic ${Buffer.from(`${infra.username}:${infra.password}`).toString('base64')}`, Accept: ACCEPT },
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`registry answered ${response.status} for ${repository}:${tag}`);
  return response.headers.get('docker-content-digest') ?? undefined;
}

export async function registryTags(infra: BuildInfra, repository: string): Promise<string[]> {
  const response = await fetch(`${infra.registryEndpoint}/v2/${repository}/tags/list`, {
    headers: { Authorization: `Basic ${Buffer.from(`${infra.username}:${infra.password}`).toString('base64')}` },
  });
  if (response.status === 404) return [];
  return (((await response.json()) as { tags?: string[] | null }).tags ?? []).sort();
}

/**
 * The log as a person sees it: `::add-mask::` lines are commands the runner consumes (they tell it what to
 * mask), so they are left out; `masked` is what the action asked the runner to mask.
 */
export function visibleLog(run: ActionRun): { shown: string; masked: string[] } {
  const isMask = (text: string) => text.startsWith('::add-mask::');
  return {
    shown: run.lines
      .filter((line) => !isMask(line.text))
      .map((line) => line.text)
      .join('\n'),
    masked: run.lines.filter((line) => isMask(line.text)).map((line) => line.text.slice('::add-mask::'.length)),
  };
}
