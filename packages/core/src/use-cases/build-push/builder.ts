import { ConfigurationError, type CommandRunner } from '../../common';
import type { BuilderChoice } from './request';

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
  if (platforms.length > 1 && kind !== 'buildx') {
    throw new ConfigurationError(
      `Input 'platforms' lists ${platforms.length} platforms; building several needs docker buildx, and this job builds with ${kind}.`,
      'platforms',
    );
  }
  return kind;
}
