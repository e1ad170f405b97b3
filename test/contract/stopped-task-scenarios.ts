/**
 * How ECS stops tasks, one row per way, with what core must conclude from the DescribeTasks answer. The contract
 * test runs every row twice: against a hand-built answer shaped like ECS's (the developer guide's "Amazon ECS
 * stopped task error messages" and the API reference's Task and Container), and against the sandbox, made to
 * stop a task that way through its public API. Both answers must carry the same key fields and get the same
 * verdict from core's real functions, so core's notion of a failed task and the sandbox's cannot drift apart.
 *
 * A row the sandbox cannot produce today says so in `sandbox.mockOnly`, with the reason; the test lists it as
 * a todo, never as a passing sandbox case.
 */
import type { Task } from '@aws-sdk/client-ecs';
import { container, ELB_REASON, PULL_ERROR, stoppedTask } from '../../packages/core/test/support/tasks';

/** The fields of a stopped task the scenario is about, as ECS sets them. */
export interface StopFields {
  stopCode: string;
  /** stoppedReason starts with this (ARNs and IDs after it differ between AWS and the sandbox). */
  stoppedReason: string;
  /** The exit code of the task's container; null when it never ran. */
  exitCode?: number | null;
  /** Container.reason starts with this. */
  containerReason?: string;
}

/** What core must conclude: isFailedTask, and the words explainStop gives a person. */
export interface CoreVerdict {
  failed: boolean;
  explanation: RegExp;
}

/** How the contract test makes the sandbox stop a task this way (see stopped-tasks.test.ts). */
export type SandboxRecipe =
  | { kind: 'run-task'; outcome: 'crash' | 'pull-failure' }
  | { kind: 'run-task-then-stop-task' }
  | { kind: 'service'; outcome: 'exit-0' | 'container-health-check' | 'elb-health-check' | 'scale-in' };

export interface StopScenario {
  name: string;
  fields: StopFields;
  core: CoreVerdict;
  /** The DescribeTasks answer ECS gives for it. */
  mock: () => Task;
  sandbox: SandboxRecipe | { mockOnly: string };
}

const SCALE_IN_REASON = 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)';
const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

export const STOP_SCENARIOS: StopScenario[] = [
  {
    name: 'an essential container exits non-zero',
    fields: { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1 },
    core: { failed: true, explanation: /^essential container "\w+" exited with code 1$/ },
    mock: () => stoppedTask({}, [container({ exitCode: 1 })]),
    sandbox: { kind: 'run-task', outcome: 'crash' },
  },
  {
    name: 'an essential container of a long-running service exits 0',
    fields: { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 0 },
    // A service's task is meant to run: ending, even cleanly, stops the task and counts against the deployment.
    core: { failed: true, explanation: /^Essential container in task exited$/ },
    mock: () => stoppedTask({}, [container({ exitCode: 0 })]),
    sandbox: { kind: 'service', outcome: 'exit-0' },
  },
  {
    name: 'the target fails its ELB health checks',
    fields: {
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:',
    },
    core: {
      failed: true,
      explanation: /^it failed its health checks \(Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/,
    },
    mock: () => stoppedTask({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: ELB_REASON }, [container({ exitCode: 0 })]),
    sandbox: { kind: 'service', outcome: 'elb-health-check' },
  },
  {
    name: 'a container health check fails',
    // ECS stops the container it judged unhealthy: SIGTERM, exit 143 for a process that does not handle it.
    fields: { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', exitCode: 143 },
    core: { failed: true, explanation: /^it failed its health checks \(Task failed container health checks\)$/ },
    mock: () =>
      stoppedTask(
        { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', healthStatus: 'UNHEALTHY' },
        [container({ exitCode: 143, healthStatus: 'UNHEALTHY' })],
      ),
    sandbox: { kind: 'service', outcome: 'container-health-check' },
  },
  {
    name: 'the image cannot be pulled (CannotPullContainerError)',
    fields: {
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: ',
      exitCode: null,
      containerReason: 'CannotPullContainerError: ',
    },
    core: {
      failed: true,
      explanation: /^the image could not be pulled \(CannotPullContainerError: .*\): check that the image and tag exist/,
    },
    mock: () =>
      stoppedTask({ stopCode: 'TaskFailedToStart', stoppedReason: PULL_ERROR, startedAt: undefined }, [
        container({ exitCode: undefined, reason: PULL_ERROR }),
      ]),
    sandbox: { kind: 'run-task', outcome: 'pull-failure' },
  },
  {
    name: 'the container runs out of memory (exit 137, OutOfMemoryError)',
    fields: {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 137,
      containerReason: 'OutOfMemoryError',
    },
    core: {
      failed: true,
      explanation:
        /^container "\w+" was killed for using more memory than its limit \(exit code 137, OutOfMemoryError: Container killed due to memory usage\)$/,
    },
    mock: () => stoppedTask({}, [container({ exitCode: 137, reason: OOM_REASON })]),
    sandbox: {
      mockOnly:
        'the sandbox enforces no memory limit, and neither its scripted runtime (an exit has only a code) nor its process runtime (a process killed by SIGKILL is just exit 137) sets Container.reason to OutOfMemoryError',
    },
  },
  {
    name: 'the scheduler stops a task to scale in or replace it (deployment)',
    fields: { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/', exitCode: 143 },
    // Not a failure, so never explained to a user; were it, the words would be about its SIGTERM exit.
    core: { failed: false, explanation: /^essential container "\w+" exited with code 143, ended by SIGTERM$/ },
    mock: () => stoppedTask({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: SCALE_IN_REASON }, [container({ exitCode: 143 })]),
    sandbox: { kind: 'service', outcome: 'scale-in' },
  },
  {
    name: 'a person stops the task (StopTask)',
    fields: { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', exitCode: 143 },
    core: {
      failed: false,
      explanation:
        /^it was stopped by a StopTask call \(Task stopped by user\); container "\w+" then exited with code 143, ended by SIGTERM$/,
    },
    mock: () => stoppedTask({ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }, [container({ exitCode: 143 })]),
    sandbox: { kind: 'run-task-then-stop-task' },
  },
];
