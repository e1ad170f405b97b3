import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  ActionFailure,
  ConfigurationError,
  errorMessage,
  formatDuration,
  isAccessDenied,
  isTransientAwsError,
  poll,
  type CancellationSignal,
  type Clock,
  type Logger,
} from '../../common';
import {
  answerApplies,
  answerCodeDeployDeployment,
  ecsTargetId,
  readCodeDeployDeployment,
  whatBecameOfReadyWait,
  type CodeDeployAnswer,
  type CodeDeployDeploymentRead,
} from '../../codedeploy';
import type { HealthReport } from '../../health';
import { withoutFullStop, type DeploymentAction, type DeploymentGate, type GateWait } from './deployment-gate';
import type { CodeDeployGateTarget } from './request';

export interface CodeDeployGatePorts {
  log: Logger;
  clock: Clock;
  signal?: CancellationSignal;
}

/** Where the deployment stands for this gate: waiting for its answer, never going to, or not yet. */
export type CodeDeployGateState = { kind: 'awaiting'; expiresAt?: Date } | { kind: 'none'; why: string } | { kind: 'before'; at?: string };

// Before CodeDeploy has made the deployment's target it cannot name it; after, a missing target is another service's.
const BEFORE_TARGET = new Set(['Created', 'Queued']);

/**
 * verify-health as the gate of a CodeDeploy blue/green deployment at one of its waits (ReadyGate, TerminationWaitGate):
 * it follows the deployment (GetDeployment + GetDeploymentTarget) until the wait begins, and once the verdict is in
 * answers it, the wait's own ContinueDeployment when healthy, StopDeployment with autoRollbackEnabled when not. A
 * deployment that will never wait, or no longer does, is not answered, and the step says so.
 */
export abstract class CodeDeployGate implements DeploymentGate {
  abstract readonly waitingFor: string;
  /** The answer to a healthy release. */
  protected abstract readonly continueAnswer: CodeDeployAnswer;
  protected expiresAt?: Date;

  constructor(
    protected readonly codedeploy: CodeDeployClient,
    protected readonly gated: CodeDeployGateTarget,
    protected readonly ports: CodeDeployGatePorts,
  ) {}

  protected abstract stateOf(read: CodeDeployDeploymentRead): CodeDeployGateState;
  /** Logged once the wait has begun; verdictWithinMs: how long the verdict may take from now. */
  protected abstract announce(verdictWithinMs: number): void;
  /** Logged once the answer went through. */
  protected abstract answeredLine(action: DeploymentAction): string;
  abstract notWaiting(why: string): string;
  abstract unanswered(): string;
  abstract summaryLine(action: DeploymentAction): string;

  async wait(timeoutMs: number, intervalMs: number, verdictWithinMs: number): Promise<GateWait> {
    const { log, clock, signal } = this.ports;
    const id = this.gated.deploymentId;
    let last = await this.readFirst();
    let at: string | undefined;
    log.info(`Waiting up to ${formatDuration(timeoutMs)} for ${this.waitingFor}.`);
    const waited = await poll<GateWait>({
      intervalMs,
      timeoutMs,
      clock,
      signal,
      check: async (attempt) => {
        const read = attempt === 1 ? last : await this.readInLoop();
        // Throttled or failing: this poll learns nothing; the next one reads again.
        if (read === undefined) return undefined;
        last = read;
        this.checkTarget(read);
        const state = this.stateOf(read);
        if (state.kind === 'awaiting') {
          this.expiresAt = state.expiresAt;
          return { waiting: true };
        }
        if (state.kind === 'none') return { none: state.why };
        if (state.at !== at && state.at) log.info(`CodeDeploy deployment ${id} is at ${state.at}.`);
        at = state.at;
        return undefined;
      },
    });
    if (!waited.done) {
      throw new ActionFailure(
        `Waited ${formatDuration(timeoutMs)} (the timeout) for ${this.waitingFor}, in vain: it is ${last.deployment.status ?? 'in an unknown status'}, and nothing was probed or answered. Raise 'timeout', or start verify-health once the deployment has got there.`,
      );
    }
    if ('waiting' in waited.value) this.announce(verdictWithinMs);
    return waited.value;
  }

  async answer(report: HealthReport): Promise<DeploymentAction> {
    const { log } = this.ports;
    const id = this.gated.deploymentId;
    const answer: CodeDeployAnswer = report.healthy ? this.continueAnswer : 'stop';
    const verdict = report.healthy ? 'healthy' : 'not healthy';
    const notAnswered = (why: string) => {
      log.warning(
        `The release was found ${verdict}, but CodeDeploy deployment ${id} was not answered (${CALLS[answer]}): ${withoutFullStop(why)}. deployment-action is none; the verdict stands.`,
      );
      return 'none' as const;
    };
    const reread = () => this.readFresh();
    const now = await reread();
    if (!answerApplies(answer, now)) return notAnswered(whatBecameOfReadyWait(now));
    const answered = await answerCodeDeployDeployment(this.codedeploy, id, answer, reread, this.ports);
    if (!answered.answered) return notAnswered(answered.why);
    const action = answer === 'stop' ? 'rolled-back' : 'continued';
    log.info(this.answeredLine(action));
    return action;
  }

  cancelledWhileAnswering(): string {
    return `The workflow was cancelled while the answer to CodeDeploy deployment ${this.gated.deploymentId} was being retried: no further attempt was sent. Unless an earlier attempt went through (GetDeployment shows it): ${this.unanswered()}`;
  }

  rolledBackSentence(): string {
    return ` CodeDeploy deployment ${this.gated.deploymentId} was stopped with rollback (StopDeployment autoRollbackEnabled).`;
  }

  /** Time left before the wait ends on CodeDeploy's side, when known, as a warning if the verdict may come later. */
  protected warnIfExpiring(what: string, consequence: string, verdictWithinMs: number): void {
    const { log, clock } = this.ports;
    if (!this.expiresAt || this.expiresAt.getTime() >= clock.now() + verdictWithinMs) return;
    log.warning(
      `${what} of CodeDeploy deployment ${this.gated.deploymentId} ends in about ${formatDuration(Math.max(0, this.expiresAt.getTime() - clock.now()))}, before the verdict may come (timeout plus bake: ${formatDuration(verdictWithinMs)}): if it comes later, ${consequence}.`,
    );
  }

  /** The first read says at once what is wrong with the input or the role, before any wait. */
  private async readFirst(): Promise<CodeDeployDeploymentRead> {
    const { deploymentId, region } = this.gated;
    try {
      const read = await this.readFresh();
      this.checkTarget(read);
      return read;
    } catch (error) {
      const answered = `${(error as Error).name}: ${errorMessage(error)}`;
      if ((error as Error).name === 'DeploymentDoesNotExistException')
        throw new ConfigurationError(
          `Input 'continue-deployment' names CodeDeploy deployment ${deploymentId}, which CodeDeploy does not know in ${region} (${answered}): give the id of a current deployment, such as deploy-ecs's codedeploy-deployment-id output, and the region it runs in.`,
          'continue-deployment',
        );
      if (isAccessDenied(error))
        throw new ActionFailure(
          `Reading CodeDeploy deployment ${deploymentId} was refused (${answered}): grant the role codedeploy:GetDeployment and codedeploy:GetDeploymentTarget so verify-health can follow the deployment it gates.`,
        );
      throw error;
    }
  }

  /** A read in the poll loop: a throttle or a transient failure skips the round. */
  private async readInLoop(): Promise<CodeDeployDeploymentRead | undefined> {
    try {
      return await readCodeDeployDeployment(this.codedeploy, this.gated, { sdkRetries: false });
    } catch (error) {
      if (isTransientAwsError(error)) return undefined;
      throw error;
    }
  }

  private readFresh(): Promise<CodeDeployDeploymentRead> {
    return readCodeDeployDeployment(this.codedeploy, this.gated);
  }

  /**
   * The deployment must be of the service judged: a verdict on one service answering another's deployment would
   * move a release nobody checked to production.
   */
  private checkTarget(read: CodeDeployDeploymentRead): void {
    if (read.target || BEFORE_TARGET.has(read.deployment.status ?? '')) return;
    const { deploymentId, cluster, service } = this.gated;
    const group = `${read.deployment.applicationName ?? '?'}/${read.deployment.deploymentGroupName ?? '?'}`;
    throw new ConfigurationError(
      `Input 'continue-deployment' names CodeDeploy deployment ${deploymentId} (${group}), which has no target ${ecsTargetId(cluster, service)}: it deploys another service than 'cluster' and 'service' name, and the verdict on one service would answer another's deployment. Give the deployment of the service checked, or set 'cluster' and 'service' to the service it deploys.`,
      'continue-deployment',
    );
  }
}

const CALLS: Record<CodeDeployAnswer, string> = {
  continue: 'ContinueDeployment READY_WAIT',
  'end-termination-wait': 'ContinueDeployment TERMINATION_WAIT',
  stop: 'StopDeployment with rollback',
};
