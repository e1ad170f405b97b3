import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { ActionFailure, type Logger } from '../../common';
import type { BuilderKind } from './builder';
import { copyContainersAuth, copyDockerConfig } from './registry-config';

export interface RegistryLogin {
  /** host[:port] as image references name it. */
  host: string;
  /** What the builder's commands need in their environment to find these credentials. */
  env: Record<string, string>;
  /** Removes the credentials from disk. */
  dispose(): void;
}

export interface RegistryCredentials {
  host: string;
  username: string;
  password: string;
  /** base64 of username:password, as ECR hands it out. */
  token: string;
}

/**
 * Asks ECR for a registry password and masks it (and its base64 form) before anything could print it. The token
 * opens every registry the caller may use (GetAuthorizationToken's registryIds is deprecated for that reason), so
 * the host is the repository's own (its repositoryUri, another account's with registry-id) when known, else
 * the caller's registry ECR names.
 */
export async function registryCredentials(
  ecr: ECRClient,
  setSecret: (value: string) => void,
  repositoryUri?: string,
): Promise<RegistryCredentials> {
  const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = answer.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint)
    throw new ActionFailure('ECR answered GetAuthorizationToken without a token or endpoint.');
  setSecret(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const password = decoded.slice(separator + 1);
  setSecret(password);
  const host = repositoryUri ? repositoryUri.slice(0, repositoryUri.indexOf('/')) : new URL(data.proxyEndpoint).host;
  return { host, username: decoded.slice(0, separator), password, token: data.authorizationToken };
}

/**
 * Gives the builder ECR's credential through a temporary copy of the runner's registry configuration (see
 * registry-config.ts): docker through DOCKER_CONFIG, buildah and podman through REGISTRY_AUTH_FILE. No `docker
 * login`: it would write to a credential store the configuration names. The copy is removed by dispose, and here
 * when making it fails.
 */
export function logIn(
  kind: BuilderKind,
  credentials: RegistryCredentials,
  tools: { log: Logger; tempRoot: string; env: NodeJS.ProcessEnv },
): RegistryLogin {
  const folder = mkdtempSync(join(tools.tempRoot, 'build-push-auth-'));
  const dispose = () => rmSync(folder, { recursive: true, force: true });
  try {
    if (kind === 'buildah' || kind === 'podman') {
      const authFile = join(folder, 'auth.json');
      const source = copyContainersAuth(authFile, tools.env, credentials.host, credentials.token);
      tools.log.info(
        `ECR credential for ${credentials.host} given to ${kind} in a temporary auth file${source ? `, with the logins of ${source} (left unchanged)` : ''}.`,
      );
      return { host: credentials.host, env: { REGISTRY_AUTH_FILE: authFile }, dispose };
    }
    const source = copyDockerConfig(folder, tools.env, credentials.host, credentials.token);
    tools.log.info(
      `ECR credential for ${credentials.host} given to docker in a temporary copy of ${source} (its logins, buildx builders and CLI plugins kept; the original left unchanged).`,
    );
    return { host: credentials.host, env: { DOCKER_CONFIG: folder }, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
