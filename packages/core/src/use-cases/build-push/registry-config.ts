/**
 * The builders' registry configuration for one build: a temporary copy of the one the runner already has, with
 * ECR's credential added, so earlier logins (Docker Hub, GHCR, another account's ECR holding base images),
 * buildx builders (one made by docker/setup-buildx-action) and CLI plugins (buildx itself may be one) stay
 * visible. The runner's own files are never written; the copy is removed after the build.
 */
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ActionFailure } from '../../common';

type Json = Record<string, unknown>;

/** The docker configuration folder the docker CLI reads: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/**
 * The auth file buildah and podman read first (containers-auth.json(5)): $REGISTRY_AUTH_FILE, else
 * $XDG_RUNTIME_DIR/containers/auth.json (where `podman login` writes); undefined when neither exists. After it they
 * still read $HOME/.docker/config.json, so pointing REGISTRY_AUTH_FILE at a copy hides nothing else.
 */
export function containersAuthFile(env: NodeJS.ProcessEnv): string | undefined {
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE;
  const runtime = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined;
  return runtime && existsSync(runtime) ? runtime : undefined;
}

function readJson(file: string | undefined): Json {
  if (!file || !existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // Reported below, as for a file that is JSON but not an object.
  }
  throw new ActionFailure(`${file} is not a JSON object, so its registry logins cannot be kept; fix or remove it.`);
}

const objectAt = (config: Json, key: string): Json => {
  const value = config[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Json) } : {};
};

/**
 * The configuration with ECR's credential for host in `auths`. A credential store (credsStore) or a helper for the
 * host (credHelpers) would win over `auths` and could write to the machine's keychain; an empty helper name for
 * the host makes docker use the file for it alone (docker/cli's getConfiguredCredentialStore returns the
 * credHelpers entry when the host has one, and an empty name selects the file store). containers-auth.json has
 * no credsStore; a credHelpers entry for the host is dropped there instead.
 */
export function withEcrCredential(config: Json, host: string, token: string, format: 'docker' | 'containers'): Json {
  const next: Json = { ...config, auths: { ...objectAt(config, 'auths'), [host]: { auth: token } } };
  const helpers = objectAt(config, 'credHelpers');
  if (format === 'containers') {
    delete helpers[host];
    if (Object.keys(helpers).length || config.credHelpers !== undefined) next.credHelpers = helpers;
  } else if (config.credsStore || host in helpers) {
    next.credHelpers = { ...helpers, [host]: '' };
  }
  return next;
}

/**
 * Fills folder with the runner's docker configuration: config.json copied with the credential added, every other
 * entry (buildx, cli-plugins, contexts...) symlinked so buildx and plugins see the runner's own state, not a copy.
 * Returns what the copy came from, for the log.
 */
export function copyDockerConfig(folder: string, env: NodeJS.ProcessEnv, host: string, token: string): string {
  const source = dockerConfigDir(env);
  if (existsSync(source)) {
    for (const entry of readdirSync(source)) {
      if (entry !== 'config.json') symlinkSync(join(source, entry), join(folder, entry));
    }
  }
  const config = withEcrCredential(readJson(join(source, 'config.json')), host, token, 'docker');
  writeFileSync(join(folder, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return source;
}

/** Writes the auth file buildah and podman will read: the runner's, if any, with the credential added. */
export function copyContainersAuth(file: string, env: NodeJS.ProcessEnv, host: string, token: string): string | undefined {
  const source = containersAuthFile(env);
  writeFileSync(file, JSON.stringify(withEcrCredential(readJson(source), host, token, 'containers'), null, 2), { mode: 0o600 });
  return source;
}
