import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { ActionFailure, type CommandRunner, type Logger } from '../../common';
import type { BuilderKind } from './builder';

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

/** Asks ECR for a registry password and masks it (and its base64 form) before anything could print it. */
export async function registryCredentials(ecr: ECRClient, setSecret: (value: string) => void): Promise<RegistryCredentials> {
  const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = answer.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint)
    throw new ActionFailure('ECR answered GetAuthorizationToken without a token or endpoint.');
  setSecret(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const password = decoded.slice(separator + 1);
  setSecret(password);
  return { host: new URL(data.proxyEndpoint).host, username: decoded.slice(0, separator), password, token: data.authorizationToken };
}

/**
 * Logs the builder in with credentials kept in a temporary folder of their own, so the runner's docker
 * config is never touched and nothing is left behind. docker reads the password from stdin; buildah and
 * podman read an auth file (the same format docker writes), which also works for plain-HTTP test registries.
 */
export async function logIn(
  kind: BuilderKind,
  credentials: RegistryCredentials,
  tools: { runner: CommandRunner; log: Logger; tempRoot: string },
): Promise<RegistryLogin> {
  const folder = mkdtempSync(join(tools.tempRoot, 'build-push-auth-'));
  const dispose = () => rmSync(folder, { recursive: true, force: true });
  try {
    if (kind === 'buildah' || kind === 'podman') {
      const authFile = join(folder, 'auth.json');
      writeFileSync(authFile, JSON.stringify({ auths: { [credentials.host]: { auth: credentials.token } } }), { mode: 0o600 });
      return { host: credentials.host, env: { REGISTRY_AUTH_FILE: authFile }, dispose };
    }
    const env = { DOCKER_CONFIG: folder };
    await tools.runner.run('docker', ['login', '--username', credentials.username, '--password-stdin', credentials.host], {
      env,
      input: credentials.password,
      silent: true,
    });
    tools.log.info(`Logged in to ${credentials.host}.`);
    return { host: credentials.host, env, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
