/**
 * Runs each container of a task as a real local process, as the ECS agent runs it as a Docker container.
 *
 * An image is found by its repository (the reference without tag or digest) in the catalog, which says how
 * to run it: the catalog entry plays the image's ENTRYPOINT, CMD, WORKDIR and ENV. The container's
 * `entryPoint` and `command` (after RunTask overrides) override them as Docker's do: `command` replaces the
 * image's CMD, and `entryPoint` replaces its ENTRYPOINT and, as `docker run --entrypoint` does, drops its
 * CMD too. So with `{ command: ['node', 'server.mjs'] }` a task's `command: ['node', 'migrate.mjs', 'up']`
 * runs the migration instead of the server.
 *
 * The process sees, lowest precedence first: PATH, what Fargate sets (AWS_REGION, AWS_DEFAULT_REGION,
 * AWS_EXECUTION_ENV), the catalog's `env` and IMAGE_TAG (the tag, or the digest when pinned by digest) as
 * the image's ENV, the task definition's `environment` with overrides, its `secrets` (fetched by the control plane
 * before the task reaches a runtime: runtime/secrets), and PORT: a free
 * loopback port the sandbox picked for the first port mapping, reported as the container's network binding.
 * A leading `node` runs the Node.js that runs the sandbox.
 *
 * Tasks with an image that a test scripted (`sandbox.script`) are handed to the scripted runtime whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Clock } from '../clock';
import type { CatalogEntry } from '../types';
import type { ContainerExit, NetworkBinding, RuntimeCallbacks, RuntimeContainer, RuntimeTask, TaskRuntime } from './runtime';
import type { ScriptedRuntime } from './scripted';

/** ECS's default stop timeout, seconds (ContainerDefinition.stopTimeout, API reference). */
const DEFAULT_STOP_TIMEOUT = 30;

export interface ProcessRuntimeOptions {
  clock: Clock;
  catalog: Record<string, CatalogEntry>;
  scripted: ScriptedRuntime;
  region: string;
}

/** Splits an image reference into its repository and the tag or digest that IMAGE_TAG reports. */
export function parseImage(image: string): { repository: string; reference: string } {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  const repository = tagged ? name.slice(0, colon) : name;
  if (at >= 0) return { repository, reference: image.slice(at + 1) };
  return { repository, reference: tagged ? name.slice(colon + 1) : 'latest' };
}

/** How `docker inspect` reports a container's exit: its code, or 128 + the number of the signal that killed it. */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** Signals a whole process group: the container's processes, as a Docker container's PID namespace holds them. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

interface ContainerRun {
  container: RuntimeContainer;
  child?: ChildProcess;
  /** Resolves with the exit code once the process exited and its output was read to the end. */
  done?: Promise<number>;
  exitCode?: number;
  stopHealth?: () => void;
}

interface TaskRun {
  containers: ContainerRun[];
  probes: Set<ChildProcess>;
  stopping: boolean;
  starting: Promise<void>;
}

export class ProcessRuntime implements TaskRuntime {
  private readonly tasks = new Map<string, TaskRun>();
  private readonly delegated = new Set<string>();
  /** Ports handed out recently, so two containers starting together do not get the same one. */
  private readonly recentPorts: number[] = [];
  private readonly killAll = () => {
    for (const run of this.tasks.values()) {
      for (const c of run.containers) if (c.child) killGroup(c.child, 'SIGKILL');
      for (const probe of run.probes) killGroup(probe, 'SIGKILL');
    }
  };

  constructor(private readonly options: ProcessRuntimeOptions) {
    // If the sandbox's process ends without stop(), its containers must not outlive it.
    process.on('exit', this.killAll);
  }

  start(task: RuntimeTask, callbacks: RuntimeCallbacks): void {
    if (task.containers.some((c) => this.options.scripted.outcomeFor(c.image))) {
      this.delegated.add(task.taskArn);
      this.options.scripted.start(task, callbacks);
      return;
    }
    const run: TaskRun = {
      containers: task.containers.map((container) => ({ container })),
      probes: new Set(),
      stopping: false,
      starting: Promise.resolve(),
    };
    this.tasks.set(task.taskArn, run);
    run.starting = this.launch(task, run, callbacks).catch((error: unknown) => {
      run.stopping = true;
      this.tasks.delete(task.taskArn);
      this.killContainers(run);
      callbacks.failedToStart(`CannotStartContainerError: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async launch(task: RuntimeTask, run: TaskRun, callbacks: RuntimeCallbacks): Promise<void> {
    const fail = (reason: string, container?: string) => {
      // Containers already started are killed without being reported as exits of their own.
      run.stopping = true;
      this.tasks.delete(task.taskArn);
      this.killContainers(run);
      callbacks.failedToStart(reason, container);
    };
    // The agent has fetched the secrets (tasks/lifecycle), pulls every image, then starts the containers.
    const entries = new Map<string, CatalogEntry>();
    for (const { image } of task.containers) {
      const entry = this.options.catalog[parseImage(image).repository];
      if (!entry) {
        const name = task.containers.find((c) => c.image === image)?.name;
        return fail(
          `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`,
          name,
        );
      }
      entries.set(image, entry);
    }
    const environments = new Map<string, Record<string, string>>();
    for (const container of task.containers) {
      const entry = entries.get(container.image) as CatalogEntry;
      const environment: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        AWS_REGION: this.options.region,
        AWS_DEFAULT_REGION: this.options.region,
        AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
        ...entry.env,
        IMAGE_TAG: parseImage(container.image).reference,
        ...container.environment,
      };
      environments.set(container.name, environment);
    }
    const bindings: Record<string, NetworkBinding[]> = {};
    for (const container of task.containers) {
      const containerPort = container.portMappings?.[0]?.containerPort;
      if (containerPort === undefined) continue;
      const hostPort = await this.freePort();
      bindings[container.name] = [{ bindIP: '127.0.0.1', containerPort, hostPort, protocol: 'tcp' }];
      (environments.get(container.name) as Record<string, string>).PORT = String(hostPort);
    }

    for (const containerRun of run.containers) {
      if (run.stopping) return;
      const { container } = containerRun;
      const entry = entries.get(container.image) as CatalogEntry;
      const entryPoint = container.entryPoint ?? entry.entryPoint ?? [];
      const command = container.command ?? (container.entryPoint ? [] : (entry.command ?? []));
      const argv = [...entryPoint, ...command];
      if (argv.length === 0) return fail('CannotStartContainerError: Error response from daemon: No command specified', container.name);
      const error = await this.spawnContainer(
        containerRun,
        argv,
        entry.cwd,
        environments.get(container.name) as Record<string, string>,
        run,
        callbacks,
      );
      if (error) {
        const reason =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`
            : `CannotStartContainerError: ${error.message}`;
        return fail(reason, container.name);
      }
    }
    if (run.stopping) return;
    callbacks.started(bindings);
    for (const containerRun of run.containers) {
      const entry = entries.get(containerRun.container.image) as CatalogEntry;
      this.startHealthChecks(
        containerRun,
        run,
        entry.cwd,
        environments.get(containerRun.container.name) as Record<string, string>,
        callbacks,
      );
    }
  }

  /** Starts one container; resolves with the spawn error if it could not start. */
  private async spawnContainer(
    containerRun: ContainerRun,
    argv: string[],
    cwd: string | undefined,
    env: Record<string, string>,
    run: TaskRun,
    callbacks: RuntimeCallbacks,
  ): Promise<Error | undefined> {
    const name = containerRun.container.name;
    const file = argv[0] === 'node' ? process.execPath : argv[0];
    // Its own process group, so that stopping the container reaches whatever it started.
    const child = spawn(file, argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    containerRun.child = child;
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (error) => resolve(error));
    });
    if (spawned) {
      containerRun.child = undefined;
      return spawned;
    }
    // The awslogs driver sends each line as it is written; a last line without a newline still counts.
    const lines = (stream: Readable) =>
      new Promise<void>((resolve) => {
        const reader = createInterface({ input: stream, crlfDelay: Infinity });
        reader.on('line', (line) => callbacks.log(name, line));
        reader.once('close', () => resolve());
      });
    const exited = new Promise<number>((resolve) => {
      child.once('exit', (code, signal) => {
        // When a container's main process ends, Docker ends the rest of its processes with it.
        killGroup(child, 'SIGKILL');
        resolve(exitCodeOf(code, signal));
      });
    });
    containerRun.done = Promise.all([exited, lines(child.stdout as Readable), lines(child.stderr as Readable)]).then(([code]) => {
      containerRun.exitCode = code;
      containerRun.stopHealth?.();
      if (!run.stopping) callbacks.exited(name, code);
      return code;
    });
    return undefined;
  }

  /**
   * Docker's health monitor, which ECS uses: the first check one interval after start, each next one an
   * interval after the previous ended; a check that exits 0 makes the container healthy and resets the
   * failure streak; `retries` consecutive failures (a timeout is a failure) make it unhealthy; failures
   * during `startPeriod` do not count unless a check already succeeded (HealthCheck, ECS API reference).
   */
  private startHealthChecks(
    containerRun: ContainerRun,
    run: TaskRun,
    cwd: string | undefined,
    env: Record<string, string>,
    callbacks: RuntimeCallbacks,
  ): void {
    const check = containerRun.container.healthCheck;
    if (!check || check.command.length === 0 || check.command[0] === 'NONE' || containerRun.exitCode !== undefined) return;
    const [kind, ...rest] = check.command;
    const argv = kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : kind === 'CMD' ? rest : check.command;
    const { clock } = this.options;
    const startedAt = clock.now();
    let status: 'STARTING' | 'HEALTHY' | 'UNHEALTHY' = 'STARTING';
    let failingStreak = 0;
    let stopped = false;
    let cancel = () => {};
    containerRun.stopHealth = () => {
      stopped = true;
      cancel();
    };
    const report = (next: 'HEALTHY' | 'UNHEALTHY') => {
      if (status === next) return;
      status = next;
      callbacks.health(containerRun.container.name, next);
    };
    const tick = async () => {
      if (stopped) return;
      const healthy = await this.probe(argv, cwd, env, run, clock.scaled(check.timeout * 1000));
      if (stopped) return;
      if (healthy) {
        failingStreak = 0;
        report('HEALTHY');
      } else if (!(status === 'STARTING' && clock.now() - startedAt < clock.scaled(check.startPeriod * 1000))) {
        failingStreak += 1;
        if (failingStreak >= check.retries) report('UNHEALTHY');
      }
      cancel = clock.after(check.interval * 1000, () => void tick());
    };
    cancel = clock.after(check.interval * 1000, () => void tick());
  }

  /** Runs one health-check command; true if it exited 0 within the timeout. */
  private probe(argv: string[], cwd: string | undefined, env: Record<string, string>, run: TaskRun, timeoutMs: number): Promise<boolean> {
    if (argv.length === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const file = argv[0] === 'node' ? process.execPath : argv[0];
      const child = spawn(file, argv.slice(1), { cwd, env, detached: true, stdio: 'ignore' });
      run.probes.add(child);
      let settled = false;
      const settle = (healthy: boolean) => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        resolve(healthy);
      };
      const cancelTimeout = this.options.clock.afterReal(timeoutMs, () => {
        killGroup(child, 'SIGKILL');
        settle(false);
      });
      child.once('error', () => {
        run.probes.delete(child);
        settle(false);
      });
      child.once('exit', (code) => {
        run.probes.delete(child);
        killGroup(child, 'SIGKILL');
        settle(code === 0);
      });
    });
  }

  private freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        server.close(() => {
          if (this.recentPorts.includes(port)) {
            this.freePort().then(resolve, reject);
            return;
          }
          this.recentPorts.push(port);
          if (this.recentPorts.length > 256) this.recentPorts.shift();
          resolve(port);
        });
      });
    });
  }

  private killContainers(run: TaskRun): void {
    for (const c of run.containers) {
      c.stopHealth?.();
      if (c.child) killGroup(c.child, 'SIGKILL');
    }
    for (const probe of run.probes) killGroup(probe, 'SIGKILL');
  }

  /** `docker stop`: SIGTERM to the main process, SIGKILL to all of the container after its stop timeout. */
  private async terminate(containerRun: ContainerRun): Promise<void> {
    const { child, done } = containerRun;
    if (!child || !done || containerRun.exitCode !== undefined) return;
    try {
      child.kill('SIGTERM');
    } catch {
      // Already gone.
    }
    const cancel = this.options.clock.after((containerRun.container.stopTimeout ?? DEFAULT_STOP_TIMEOUT) * 1000, () =>
      killGroup(child, 'SIGKILL'),
    );
    await done;
    cancel();
  }

  async stop(taskArn: string): Promise<ContainerExit[]> {
    if (this.delegated.delete(taskArn)) return this.options.scripted.stop(taskArn);
    const run = this.tasks.get(taskArn);
    if (!run) return [];
    run.stopping = true;
    await run.starting;
    for (const c of run.containers) c.stopHealth?.();
    await Promise.all(run.containers.map((c) => this.terminate(c)));
    this.tasks.delete(taskArn);
    return run.containers.map((c) => ({ name: c.container.name, exitCode: c.exitCode }));
  }

  /** Kills every container and health check at once and waits until they are gone. */
  async close(): Promise<void> {
    const runs = [...this.tasks.values()];
    for (const run of runs) run.stopping = true;
    await Promise.all(runs.map((run) => run.starting));
    const probes = runs.flatMap((run) => [...run.probes]);
    for (const run of runs) this.killContainers(run);
    await Promise.all([
      ...runs.flatMap((run) => run.containers.map((c) => c.done)),
      ...probes.map((probe) =>
        probe.exitCode === null && probe.signalCode === null ? new Promise((resolve) => probe.once('exit', resolve)) : undefined,
      ),
    ]);
    this.tasks.clear();
    process.off('exit', this.killAll);
    await this.options.scripted.close();
  }
}
