/**
 * Where tasks' containers actually run. ECS's control plane (tasks/lifecycle) asks a runtime to start and
 * stop a task and learns what happened through the callbacks; the runtime never touches ECS state. This
 * version scripts outcomes; a later one runs each container as a local process behind the same interface.
 */

export interface RuntimeContainer {
  name: string;
  image: string;
  essential: boolean;
  /** After overrides. */
  command?: string[];
  entryPoint?: string[];
  environment: Record<string, string>;
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
}

export interface RuntimeTask {
  taskArn: string;
  taskId: string;
  family: string;
  containers: RuntimeContainer[];
}

export interface RuntimeCallbacks {
  /** Every container started (the task may become RUNNING). */
  started(): void;
  /** The task could not start at all, e.g. `CannotPullContainerError: ...`. */
  failedToStart(reason: string, container?: string): void;
  /** A line the container wrote to stdout or stderr. */
  log(container: string, line: string): void;
  /** The result of a container health check changed. */
  health(container: string, status: 'HEALTHY' | 'UNHEALTHY'): void;
  /** A container exited on its own. */
  exited(container: string, exitCode: number, reason?: string): void;
}

export interface ContainerExit {
  name: string;
  exitCode?: number;
  reason?: string;
}

export interface TaskRuntime {
  start(task: RuntimeTask, callbacks: RuntimeCallbacks): void;
  /** Stops what is still running of the task (SIGTERM, then SIGKILL) and resolves with how each container ended. */
  stop(taskArn: string): Promise<ContainerExit[]>;
  close(): Promise<void>;
}
