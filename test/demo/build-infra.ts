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

export interface DemoBuildInfra {
  /** The daemons' settings, when they run. */
  infra?: BuildInfra;
  /** Why they do not, in a few words. */
  unavailable?: string;
  /** Ends the daemons this demo started; ones already running belong to someone else. */
  stop(): void;
}

const installed = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const PORT = process.env.BUILD_INFRA_REGISTRY_PORT ?? '5055';

/** The probes ensure.sh itself uses: does the suite's dockerd answer on its socket, the registry on its port? */
function answering(daemon: 'dockerd' | 'docker-registry'): boolean {
  const probe =
    daemon === 'dockerd'
      ? `docker -H unix://${DIR}/docker.sock version --format '{{.Server.Version}}'`
      : `test "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${PORT}/v2/)" = 401`;
  try {
    execFileSync('sh', ['-c', probe], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** The pid in ensure.sh's pid file, when that process still runs and is the daemon named (pids get reused). */
function daemonPid(daemon: 'dockerd' | 'docker-registry'): number | undefined {
  const file = `${DIR}/${daemon === 'dockerd' ? 'dockerd' : 'registry'}.pid`;
  if (!existsSync(file)) return undefined;
  const pid = readFileSync(file, 'utf8').trim();
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith(daemon) ? Number(pid) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts (or finds running) dockerd and the registry when every program is installed, and says why not otherwise.
 */
export function startBuildInfraIfInstalled(): DemoBuildInfra {
  const missing = PROGRAMS.filter((program) => !installed(program));
  if (missing.length > 0) return { unavailable: `${missing.join(', ')} not installed`, stop: () => {} };
  const daemons = ['dockerd', 'docker-registry'] as const;
  const alreadyUp = daemons.filter(answering);
  const stop = () => {
    for (const daemon of daemons.filter((name) => !alreadyUp.includes(name))) {
      const pid = daemonPid(daemon);
      if (pid !== undefined) stopProcess(pid);
    }
  };
  try {
    return { infra: ensureBuildInfra(), stop };
  } catch (error) {
    // Half started (dockerd up, the registry not): leave nothing behind.
    stop();
    return { unavailable: (error as Error).message.split('\n')[0], stop: () => {} };
  }
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
