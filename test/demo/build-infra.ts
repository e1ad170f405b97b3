/**
 * The build step's infrastructure for the demo: the suite's own dockerd and registry
 * (test/support/registry/ensure.sh), used only when their programs are already installed. The demo never
 * installs packages, and stops whatever it started itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ensureBuildInfra, type BuildInfra } from '../support/build-infra';

const DIR = process.env.BUILD_INFRA_DIR ?? '/tmp/ecs-deploy-build-infra';
/** What ensure.sh would otherwise apt-get install. */
const PROGRAMS = ['dockerd', 'docker', 'docker-registry', 'buildah', 'podman', 'htpasswd', 'curl', 'flock'];

export type DemoBuildInfra = { infra: BuildInfra; stop(): void } | { missing: string[] };

const installed = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** The pid in one of ensure.sh's pid files, when that process still runs. */
function runningPid(name: string): number | undefined {
  const file = `${DIR}/${name}.pid`;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Starts (or finds running) dockerd and the registry when every program is installed; `missing` otherwise.
 * `stop()` ends only the daemons this call started: ones already running belong to someone else.
 */
export function startBuildInfraIfInstalled(): DemoBuildInfra {
  const missing = PROGRAMS.filter((program) => !installed(program));
  if (missing.length > 0) return { missing };
  const before = { dockerd: runningPid('dockerd'), registry: runningPid('registry') };
  const infra = ensureBuildInfra();
  const started = (['dockerd', 'registry'] as const)
    .filter((name) => before[name] === undefined)
    .map((name) => runningPid(name))
    .filter((pid): pid is number => pid !== undefined);
  return {
    infra,
    stop: () => {
      for (const pid of started) stopProcess(pid);
    },
  };
}

/** SIGTERM, then SIGKILL if it has not exited within five seconds. */
function stopProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It exited just now.
  }
}
