import { ConfigurationError, type CommandRunner } from '../../common';
import type { BuilderChoice, BuildRequest } from './request';

/** The way this job builds: docker with buildx, docker's classic builder, or a daemonless builder. */
export type BuilderKind = 'buildx' | 'classic' | 'buildah' | 'podman';

export interface Installed {
  docker: boolean;
  buildx: boolean;
  buildah: boolean;
  podman: boolean;
}

export async function probeInstalled(runner: CommandRunner): Promise<Installed> {
  const [docker, buildx, buildah, podman] = await Promise.all([
    runner.works('docker', ['--version']),
    runner.works('docker', ['buildx', 'version']),
    runner.works('buildah', ['--version']),
    runner.works('podman', ['--version']),
  ]);
  return { docker, buildx, buildah, podman };
}

/** Picks the builder from the input and what is installed; refuses, naming the input, before any AWS call. */
export function chooseBuilder(choice: BuilderChoice | undefined, installed: Installed, platforms: string[]): BuilderKind {
  const missing = (tool: string) =>
    new ConfigurationError(`Input 'builder' is ${choice ?? 'not set'}, but ${tool} is not installed on this runner.`, 'builder');
  let kind: BuilderKind;
  if (choice === undefined) {
    if (installed.docker) kind = installed.buildx ? 'buildx' : 'classic';
    else if (installed.buildah) kind = 'buildah';
    else if (installed.podman) kind = 'podman';
    else
      throw new ConfigurationError("No builder found: install docker, buildah or podman on the runner, or set input 'builder'.", 'builder');
  } else if (choice === 'docker' || choice === 'classic' || choice === 'buildx') {
    if (!installed.docker) throw missing('docker');
    if (choice === 'buildx' && !installed.buildx) throw missing('docker buildx');
    kind = choice === 'docker' ? (installed.buildx ? 'buildx' : 'classic') : choice;
  } else {
    if (!installed[choice]) throw missing(choice);
    kind = choice;
  }
  refuseSeveralPlatforms(kind, platforms);
  return kind;
}

/**
 * Refuses, naming the input, what the chosen builder cannot do: docker's classic builder has no build secrets and
 * no SSH forwarding (they are BuildKit's, which buildx drives; buildah and podman have both).
 */
export function checkBuilderCan(kind: BuilderKind, wants: Pick<BuildRequest, 'secrets' | 'ssh'>): void {
  if (kind !== 'classic') return;
  const input = wants.secrets.some((secret) => secret.env)
    ? 'secrets'
    : wants.secrets.length
      ? 'secret-files'
      : wants.ssh.length
        ? 'ssh'
        : undefined;
  if (!input) return;
  throw new ConfigurationError(
    `Input '${input}' needs a builder with build secrets and SSH forwarding (docker buildx, buildah or podman), and this job builds with docker's classic builder; install buildx (docker/setup-buildx-action) or set builder to buildah or podman.`,
    input,
  );
}

function refuseSeveralPlatforms(kind: BuilderKind, platforms: string[]): void {
  if (platforms.length > 1 && kind !== 'buildx') {
    throw new ConfigurationError(
      `Input 'platforms' lists ${platforms.length} platforms; building several needs docker buildx, and this job builds with ${kind}.`,
      'platforms',
    );
  }
}
