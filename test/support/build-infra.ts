import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface BuildInfra {
  /** `unix:///…/docker.sock` of the suite's own dockerd. */
  dockerHost: string;
  /** `127.0.0.1:<port>`: the registry's host, as image references name it. */
  registryHost: string;
  registryEndpoint: string;
  username: string;
  password: string;
  /** What a builder needs in its environment: the daemon, buildah's storage and the loopback registry's HTTP. */
  env: Record<string, string>;
}

const SCRIPT = resolve('test/support/registry/ensure.sh');
const DIR = process.env.BUILD_INFRA_DIR ?? '/tmp/ecs-deploy-build-infra';

/**
 * Installs and starts dockerd and the htpasswd-protected registry when they are not already up (the script is
 * idempotent and serialises parallel callers), then reads the settings it wrote. Throws with the script's own
 * explanation when the infrastructure cannot be had: these tests never pass without a real build.
 */
export function ensureBuildInfra(): BuildInfra {
  try {
    execFileSync('bash', [SCRIPT], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BUILD_INFRA_DIR: DIR },
      timeout: 15 * 60_000,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(
      `The build infrastructure (dockerd, docker-registry, buildah, podman) could not be started by ${SCRIPT}: ${stderr || (error as Error).message}`,
      { cause: error },
    );
  }
  const settings = Object.fromEntries(
    readFileSync(resolve(DIR, 'env'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const { REGISTRY_HOST, REGISTRY_USERNAME, REGISTRY_PASSWORD, ...builderEnv } = settings;
  return {
    dockerHost: settings.DOCKER_HOST,
    registryHost: REGISTRY_HOST,
    registryEndpoint: `http://${REGISTRY_HOST}`,
    username: REGISTRY_USERNAME,
    password: REGISTRY_PASSWORD,
    env: builderEnv,
  };
}
