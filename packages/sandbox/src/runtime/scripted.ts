import type { Clock } from '../clock';
import type { TaskOutcome } from '../types';
import type { ContainerExit, RuntimeCallbacks, RuntimeContainer, RuntimeTask, TaskRuntime } from './runtime';

/** Docker's HEALTHCHECK defaults, which ECS also uses (HealthCheck in the ECS API reference), in seconds. */
const HEALTH_DEFAULTS = { interval: 30, retries: 3, startPeriod: 0 };
const DEFAULT_START_MS = 500;
const DEFAULT_EXIT_AFTER_MS = 1000;
const DEFAULT_CANNOT_START_AFTER_MS = 500;
/** How long a scripted container takes to shut down after SIGTERM. */
const SHUTDOWN_MS = 100;
/**
 * A scripted container ends on SIGTERM without handling it, well within its stop timeout, and Docker reports
 * a process ended by a signal as 128 + the signal's number: 143 for SIGTERM (137, SIGKILL, would take a
 * container that outlives its stopTimeout, which scripted containers never do).
 */
const SIGTERM_EXIT_CODE = 128 + 15;

interface Script {
  match: string | RegExp;
  outcome: TaskOutcome;
}

interface Running {
  cancels: Array<() => void>;
  started: boolean;
  exited: Set<string>;
  containers: RuntimeContainer[];
}

/**
 * Tasks do what a test scripted for their image: start and stay healthy, crash, fail health checks, fail to
 * pull, or hang in PENDING. Images nobody scripted are healthy. All delays are ECS intervals, so they scale.
 */
export class ScriptedRuntime implements TaskRuntime {
  private readonly scripts: Script[] = [];
  /** How many tasks each outcome has started, for a list of healthyAfterMs. */
  private readonly starts = new Map<TaskOutcome, number>();
  private readonly tasks = new Map<string, Running>();

  constructor(private readonly clock: Clock) {}

  script(match: string | RegExp, outcome: TaskOutcome): void {
    // The newest script for an image wins, so a test can change its mind.
    this.scripts.unshift({ match, outcome });
  }

  outcomeFor(image: string): TaskOutcome | undefined {
    return this.scripts.find((s) => (typeof s.match === 'string' ? s.match === image : s.match.test(image)))?.outcome;
  }

  start(task: RuntimeTask, callbacks: RuntimeCallbacks): void {
    const running: Running = { cancels: [], started: false, exited: new Set(), containers: task.containers };
    this.tasks.set(task.taskArn, running);
    const ordered = [...task.containers].sort((a, b) => Number(b.essential) - Number(a.essential));
    const scripted = ordered.find((c) => this.outcomeFor(c.image));
    const subject = scripted ?? ordered[0];
    const outcome: TaskOutcome = (scripted && this.outcomeFor(scripted.image)) ?? { kind: 'healthy' };
    const after = (ms: number, fn: () => void) => running.cancels.push(this.clock.after(ms, fn));

    if (outcome.kind === 'pending-forever') return;
    if (outcome.kind === 'cannot-start') {
      after(outcome.afterMs ?? DEFAULT_CANNOT_START_AFTER_MS, () => {
        this.tasks.delete(task.taskArn);
        const reason =
          outcome.reason ??
          `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${subject.image}: ${subject.image}: not found`;
        callbacks.failedToStart(reason, subject.name);
      });
      return;
    }

    after(outcome.startMs ?? DEFAULT_START_MS, () => {
      running.started = true;
      callbacks.started();
      callbacks.log(subject.name, `${task.family} started (${subject.image})`);
      const healthy = outcome.kind !== 'unhealthy';
      const slowStart = outcome.kind === 'healthy' ? this.healthyAfter(outcome) : undefined;
      for (const container of task.containers) {
        if (!container.healthCheck) continue;
        const check = { ...HEALTH_DEFAULTS, ...container.healthCheck };
        if (slowStart !== undefined && container === subject) {
          for (const [at, status] of slowStartReports(check, slowStart)) after(at, () => callbacks.health(container.name, status));
        } else if (healthy || container !== subject) {
          // Docker runs the first check one interval after the container starts.
          after(check.interval * 1000, () => callbacks.health(container.name, 'HEALTHY'));
        }
      }
      if (outcome.kind === 'unhealthy') {
        const check = { ...HEALTH_DEFAULTS, ...subject.healthCheck };
        // Failures inside the start period do not count; then `retries` consecutive failures, one interval apart.
        const unhealthyAfter = outcome.afterMs ?? (check.startPeriod + check.interval * check.retries) * 1000;
        after(unhealthyAfter, () => callbacks.health(subject.name, 'UNHEALTHY'));
      }
      if (outcome.kind === 'exit') {
        for (const line of outcome.logs ?? []) callbacks.log(subject.name, line);
        after(outcome.afterMs ?? DEFAULT_EXIT_AFTER_MS, () => {
          running.exited.add(subject.name);
          callbacks.exited(subject.name, outcome.exitCode);
        });
      }
    });
  }

  /** This task's start-up time from a `healthyAfterMs` list: the next figure, the last one repeating. */
  private healthyAfter(outcome: Extract<TaskOutcome, { kind: 'healthy' }>): number | undefined {
    const figures = outcome.healthyAfterMs;
    if (figures === undefined || typeof figures === 'number') return figures;
    const started = this.starts.get(outcome) ?? 0;
    this.starts.set(outcome, started + 1);
    return figures[Math.min(started, figures.length - 1)];
  }

  stop(taskArn: string): Promise<ContainerExit[]> {
    const running = this.tasks.get(taskArn);
    this.tasks.delete(taskArn);
    if (!running) return Promise.resolve([]);
    for (const cancel of running.cancels) cancel();
    if (!running.started) return Promise.resolve(running.containers.map((c) => ({ name: c.name })));
    return new Promise((resolve) => {
      this.clock.after(SHUTDOWN_MS, () =>
        resolve(running.containers.filter((c) => !running.exited.has(c.name)).map((c) => ({ name: c.name, exitCode: SIGTERM_EXIT_CODE }))),
      );
    });
  }

  async close(): Promise<void> {
    for (const running of this.tasks.values()) for (const cancel of running.cancels) cancel();
    this.tasks.clear();
  }
}

/**
 * What Docker's health monitor reports for an app that answers only `healthyAfterMs` after it started: checks run
 * one interval apart from one interval after start; a failure inside startPeriod does not count; `retries` counted
 * failures in a row make it UNHEALTHY; the first check that passes makes it HEALTHY, UNHEALTHY or not (HealthCheck,
 * ECS API reference). As [when, status] pairs, in ms after start.
 */
export function slowStartReports(
  check: { interval: number; retries: number; startPeriod: number },
  healthyAfterMs: number,
): Array<[number, 'HEALTHY' | 'UNHEALTHY']> {
  const intervalMs = check.interval * 1000;
  const passing = Math.max(1, Math.ceil(healthyAfterMs / intervalMs));
  // A check at startPeriod or later counts (the process runtime ignores only failures strictly inside it).
  const firstCounted = Math.max(1, Math.ceil((check.startPeriod * 1000) / intervalMs));
  const unhealthy = firstCounted + check.retries - 1;
  const reports: Array<[number, 'HEALTHY' | 'UNHEALTHY']> = [];
  if (unhealthy < passing) reports.push([unhealthy * intervalMs, 'UNHEALTHY']);
  reports.push([passing * intervalMs, 'HEALTHY']);
  return reports;
}
