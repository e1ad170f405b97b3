/**
 * Where tasks' containers actually run. ECS's control plane (tasks/lifecycle) asks a runtime to start and
 * stop a task and learns what happened through the callbacks; the runtime never touches ECS state. The
 * scripted runtime plays outcomes a test chose; the process runtime runs each container as a local process.
 */

/** A container's port as DescribeTasks shows it (NetworkBinding, ECS API reference). */
export interface NetworkBinding {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface RuntimeContainer {
  name: string;
  image: string;
  essential: boolean;
  /** After overrides. */
  command?: string[];
  entryPoint?: string[];
  /** The definition's `environment` with overrides, then its `secrets` as the agent fetched them (runtime/secrets). */
  environment: Record<string, string>;
  portMappings?: Array<{ containerPort?: number; hostPort?: number; protocol?: string }>;
  /** Seconds between SIGTERM and SIGKILL; ECS's default is 30. */
  stopTimeout?: number;
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
}

export interface RuntimeTask {
  taskArn: string;
  taskId: string;
  family: string;
  containers: RuntimeContainer[];
}

export interface RuntimeCallbacks {
  /** Every container started (the task may become RUNNING), with the ports each one listens on, by container name. */
  started(bindings?: Record<string, NetworkBinding[]>): void;
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
