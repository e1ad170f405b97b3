import type { Container, ContainerDefinition, Task } from '@aws-sdk/client-ecs';

/**
 * How Docker reports a container ECS stopped because the task was stopping: 128 + the signal's number,
 * SIGTERM (143) first, SIGKILL (137) once its stopTimeout ran out. When the migration container (essential)
 * exits, ECS stops the task and with it every sidecar still running (ContainerDefinition.essential, API
 * reference), so a log router or an agent ends with one of these after a migration that succeeded.
 */
const SIGNAL_EXITS: Record<number, string> = {
  143: 'ended by SIGTERM as the task stopped',
  137: 'killed by SIGKILL as the task stopped, after its stop timeout',
};

/** How another container of the migration task ended: shown for information, never the verdict by itself. */
export interface OtherContainer {
  name: string;
  essential: boolean;
  exitCode?: number;
  reason?: string;
  /** Exited with a code of its own, not one of being stopped: it may have stopped the task, and the migration with it. */
  crashed: boolean;
}

export interface MigrationVerdict {
  succeeded: boolean;
  exitCode?: number;
  others: OtherContainer[];
  /** An essential container other than the migration's that crashed: it may have cut the migration short. */
  crashedEssential?: OtherContainer;
}

/**
 * The migration container decides. Exit 0 is a success even when sidecars were stopped on the way down with
 * 143 or 137; those are reported as information. An essential sidecar that exited with a code of its own
 * (1, or an out-of-memory kill) may have stopped the task while the migration ran, and a migration that
 * exits 0 on SIGTERM would then look done: that is not called a success.
 */
export function judgeMigration(task: Task, definitions: ContainerDefinition[], migration: string): MigrationVerdict {
  const containers = task.containers ?? [];
  const exitCode = exitCodeOf(containers.find((c) => c.name === migration));
  const others = containers.filter((c) => c.name !== migration).map((c) => describeOther(c, definitions));
  const crashedEssential = others.find((c) => c.essential && c.crashed);
  return { succeeded: exitCode === 0 && crashedEssential === undefined, exitCode, others, crashedEssential };
}

function describeOther(container: Container, definitions: ContainerDefinition[]): OtherContainer {
  const exitCode = exitCodeOf(container);
  const essential = definitions.find((d) => d.name === container.name)?.essential !== false;
  const outOfMemory = /OutOfMemory/i.test(container.reason ?? '');
  const crashed = outOfMemory || (exitCode !== undefined && exitCode !== 0 && SIGNAL_EXITS[exitCode] === undefined);
  return { name: container.name ?? '(unnamed)', essential, exitCode, ...(container.reason ? { reason: container.reason } : {}), crashed };
}

function exitCodeOf(container: Container | undefined): number | undefined {
  const code = container?.exitCode;
  return code === null ? undefined : code;
}

/** `"log-router" (essential) exited with code 143, ended by SIGTERM as the task stopped`. */
export function describeOtherContainer(other: OtherContainer): string {
  const subject = `"${other.name}" (${other.essential ? 'essential' : 'not essential'})`;
  if (other.exitCode === undefined) return `${subject} did not exit with a code${other.reason ? ` (${other.reason})` : ''}`;
  const signal = SIGNAL_EXITS[other.exitCode];
  const how = other.crashed ? (other.reason ? ` (${other.reason})` : '') : signal ? `, ${signal}` : '';
  return `${subject} exited with code ${other.exitCode}${how}`;
}

/**
 * The task with the container to blame first, for the stop explanation: the migration container, unless it
 * was only stopped (a signal, or no exit at all) because an essential sidecar crashed.
 */
export function withCulpritFirst(task: Task, migration: string, verdict: MigrationVerdict): Task {
  const stoppedOnly = verdict.exitCode === undefined || SIGNAL_EXITS[verdict.exitCode] !== undefined;
  const first = verdict.crashedEssential && stoppedOnly ? verdict.crashedEssential.name : migration;
  const containers = [...(task.containers ?? [])].sort((a, b) => Number(b.name === first) - Number(a.name === first));
  return { ...task, containers };
}
