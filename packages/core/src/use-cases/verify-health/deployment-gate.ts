import type { HealthReport } from '../../health';

/** What verify-health did to the deployment it gates: its `deployment-action` output. */
export type DeploymentAction = 'continued' | 'rolled-back' | 'none';

export type GateWait = { waiting: true } | { none: string };

/**
 * A deployment that waits for verify-health's verdict (continue-deployment): a service deployment's PAUSE hook
 * (PauseGate) or a CodeDeploy deployment's ready wait (ReadyGate). runHealthCheck waits for the gate, probes, and
 * answers it by the verdict; the gate says, in its own terms, what it waits for and what it is left with.
 */
export interface DeploymentGate {
  /** What the step waits for, in words: "a PAUSE hook of service deployment …". */
  readonly waitingFor: string;
  /**
   * Waits, within timeoutMs, until the deployment waits for the answer. A deployment that has ended, or will never
   * wait, answers `none` (with why) at once; a wait that outlasts the timeout fails the step.
   * verdictWithinMs: how long the verdict may take from then (the check's timeout plus its bake).
   */
  wait(timeoutMs: number, intervalMs: number, verdictWithinMs: number): Promise<GateWait>;
  /** After a wait that ended waiting: answers by the verdict when the gate still waits, else says what became of it. */
  answer(report: HealthReport): Promise<DeploymentAction>;
  /** The warning for a gate that will not wait (wait answered `none`). */
  notWaiting(why: string): string;
  /** What the waiting gate does if this step leaves it unanswered. */
  unanswered(): string;
  /** The failure when the workflow is cancelled while the answer was being retried. */
  cancelledWhileAnswering(): string;
  /** The job summary's line for what was done. */
  summaryLine(action: DeploymentAction): string;
  /** Added to the unhealthy verdict's failure once the deployment was rolled back. */
  rolledBackSentence(): string;
}

/** AWS's reasons end in a full stop, or not: one is put after them either way. */
export function withoutFullStop(text: string): string {
  return text.replace(/\.+$/, '');
}
