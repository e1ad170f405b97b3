/** The public shapes of the sandbox: what tests, benchmarks and the CLI program against. */

export interface SandboxOptions {
  /** Default 0 (ephemeral). The server always binds 127.0.0.1. */
  port?: number;
  /** Default 'us-east-1'. */
  region?: string;
  /** Default '000000000000'. */
  accountId?: string;
  /** Multiplies every ECS interval (scheduler pacing, health-check timings, scripted delays). 1 = real time, 0.1 = ten times faster. */
  timeScale?: number;
  faults?: FaultOptions;
  /** A seed object, or the path of a JSON file holding one. */
  seed?: SeedState | string;
}

export interface FaultOptions {
  /** Probability (0..1) of answering ThrottlingException. */
  throttleRate?: number;
  /** Probability (0..1) of answering a 500-class server error. */
  serverErrorRate?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /** Only these operations (e.g. 'DescribeServices'); default all. */
  operations?: string[];
}

export type TaskOutcome =
  | { kind: 'healthy'; startMs?: number }
  | { kind: 'exit'; exitCode: number; afterMs?: number; logs?: string[]; startMs?: number }
  | { kind: 'unhealthy'; afterMs?: number; startMs?: number }
  | { kind: 'cannot-start'; reason?: string; afterMs?: number }
  | { kind: 'pending-forever' };

export type FaultKind = 'throttle' | 'server-error' | 'latency';

export interface ApiCall {
  service: 'ecs' | 'logs';
  operation: string;
  at: number;
  fault?: FaultKind;
}

export type SandboxEventKind =
  | 'deployment-created'
  | 'task-started'
  | 'task-healthy'
  | 'task-stopped'
  | 'steady-state'
  | 'circuit-breaker-tripped'
  | 'rollback-started'
  | 'deployment-failed';

export interface SandboxEvent {
  at: number;
  kind: SandboxEventKind;
  cluster?: string;
  serviceName?: string;
  deploymentId?: string;
  /** For 'rollback-started': the deployment ECS created to roll back. */
  rollbackDeploymentId?: string;
  taskArn?: string;
  taskDefinitionArn?: string;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
}

/**
 * State created before a test starts, through the same code paths as the API. Each entry takes the
 * API's own request shape (CreateCluster, RegisterTaskDefinition, CreateService inputs).
 */
export interface SeedState {
  clusters?: Array<string | Record<string, unknown>>;
  taskDefinitions?: Array<Record<string, unknown>>;
  services?: Array<Record<string, unknown>>;
  logGroups?: string[];
}

export interface Sandbox {
  endpoint: string;
  region: string;
  accountId: string;
  env(): Record<string, string>;
  script(image: string | RegExp, outcome: TaskOutcome): void;
  setFaults(faults: FaultOptions | undefined): void;
  seed(state: SeedState): Promise<void>;
  calls: ApiCall[];
  history: SandboxEvent[];
  snapshot(): unknown;
  stop(): Promise<void>;
}
