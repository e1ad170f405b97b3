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
  answerReadyWait,
  ecsTargetId,
  readCodeDeployDeployment,
  readyWaitState,
  stillWaiting,
  whatBecameOfReadyWait,
  type CodeDeployDeploymentRead,
} from '../../codedeploy';
import type { HealthReport } from '../../health';
import { withoutFullStop, type DeploymentAction, type DeploymentGate, type GateWait } from './deployment-gate';
import type { CodeDeployGateTarget } from './request';

export interface ReadyGatePorts {
  log: Logger;
  clock: Clock;
  signal?: CancellationSignal;
}

// Before CodeDeploy has made the deployment's target it cannot name it; after, a missing target is another service's.
const BEFORE_TARGET = new Set(['Created', 'Queued']);

/**
 * verify-health as the gate of a CodeDeploy blue/green deployment whose group waits for ContinueDeployment
 * (deploymentReadyOption STOP_DEPLOYMENT): it waits for the deployment to be Ready (the replacement task set takes
 * test traffic, production stays on the original), and once the verdict is in answers it: ContinueDeployment
 * READY_WAIT when healthy, StopDeployment with autoRollbackEnabled when not. It never ends the termination wait
 * early: the original task set kept after rerouting is the way back. A deployment past Ready, or over, is not
 * answered, and the step says so.
 */
export class ReadyGate implements DeploymentGate {
  readonly waitingFor: string;
  private expiresAt?: Date;

  constructor(
    private readonly codedeploy: CodeDeployClient,
    private readonly gated: CodeDeployGateTarget,
    private readonly ports: ReadyGatePorts,
  ) {
    this.waitingFor = `CodeDeploy deployment ${gated.deploymentId} to be Ready`;
  }

  async wait(timeoutMs: number, intervalMs: number, verdictWithinMs: number): Promise<GateWait> {
    const { log, clock, signal } = this.ports;
    const id = this.gated.deploymentId;
    let last = await this.readFirst();
    let event: string | undefined;
    log.info(`Waiting up to ${formatDuration(timeoutMs)} for CodeDeploy deployment ${id} to be Ready (waiting for ContinueDeployment).`);
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
        const state = readyWaitState(read);
        if (state.kind === 'awaiting') {
          this.expiresAt = state.expiresAt;
          return { waiting: true };
        }
        if (state.kind !== 'before-ready') return { none: state.why };
        if (state.event !== event && state.event) log.info(`CodeDeploy deployment ${id} is at ${state.event}.`);
        event = state.event;
        return undefined;
      },
    });
    if (!waited.done) {
      throw new ActionFailure(
        `CodeDeploy deployment ${id} was not Ready within the timeout of ${formatDuration(timeoutMs)} (it is ${last.deployment.status ?? 'in an unknown status'}): nothing was probed or answered. Raise 'timeout', or start verify-health once deploy-ecs returns with wait-until: paused.`,
      );
    }
    if ('waiting' in waited.value) this.announce(verdictWithinMs);
    return waited.value;
  }

  async answer(report: HealthReport): Promise<DeploymentAction> {
    const { log } = this.ports;
    const id = this.gated.deploymentId;
    const action = report.healthy ? 'continue' : 'stop';
    const verdict = report.healthy ? 'healthy' : 'not healthy';
    const call = report.healthy ? 'ContinueDeployment READY_WAIT' : 'StopDeployment with rollback';
    const notAnswered = (why: string) => {
      log.warning(
        `The release was found ${verdict}, but CodeDeploy deployment ${id} was not answered (${call}): ${withoutFullStop(why)}. deployment-action is none; the verdict stands.`,
      );
      return 'none' as const;
    };
    const reread = () => this.readFresh();
    const now = await reread();
    const state = now ? readyWaitState(now) : undefined;
    // A continue answers only a Ready deployment; a stop any that is still under way (the release it moves on is unhealthy).
    const applies = state?.kind === 'awaiting' || (action === 'stop' && state !== undefined && state.kind !== 'ended');
    if (!applies) return notAnswered(now ? whatBecameOfReadyWait(now) : 'CodeDeploy no longer knows the deployment');
    const answer = await answerReadyWait(this.codedeploy, id, action, reread, this.ports);
    if (!answer.answered) return notAnswered(answer.why);
    if (action === 'continue') {
      log.info(
        `▶️ Continued CodeDeploy deployment ${id} at Ready (ContinueDeployment READY_WAIT): the release is healthy, and production traffic moves to the replacement task set. The termination wait keeps the original task set as CodeDeploy's way back.`,
      );
      return 'continued';
    }
    log.info(
      `⏪ Stopped CodeDeploy deployment ${id} with rollback (StopDeployment autoRollbackEnabled): the release is not healthy, and production traffic stays on, or returns to, the original task set.`,
    );
    return 'rolled-back';
  }

  notWaiting(why: string): string {
    return `continue-deployment: CodeDeploy deployment ${this.gated.deploymentId} does not wait at Ready: ${why}. deployment-action is none; the health check runs without answering anything.`;
  }

  unanswered(): string {
    return stillWaiting(this.gated.deploymentId, 'continue');
  }

  cancelledWhileAnswering(): string {
    return `The workflow was cancelled while the answer to CodeDeploy deployment ${this.gated.deploymentId} was being retried: no further attempt was sent. Unless an earlier attempt went through (GetDeployment shows it): ${this.unanswered()}`;
  }

  summaryLine(action: DeploymentAction): string {
    const at = `CodeDeploy deployment \`${this.gated.deploymentId}\` at Ready`;
    if (action === 'continued') return `▶️ **Deployment continued**: ${at}, ContinueDeployment READY_WAIT.`;
    if (action === 'rolled-back') return `⏪ **Deployment stopped and rolled back**: ${at}, StopDeployment with autoRollbackEnabled.`;
    return `⚠️ **No answer sent** to ${at}: see the warning in the log.`;
  }

  rolledBackSentence(): string {
    return ` CodeDeploy deployment ${this.gated.deploymentId} was stopped with rollback (StopDeployment autoRollbackEnabled).`;
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

  private announce(verdictWithinMs: number): void {
    const { log, clock } = this.ports;
    const id = this.gated.deploymentId;
    const expires = this.expiresAt ? `; CodeDeploy stops it if not continued by about ${this.expiresAt.toISOString()}` : '';
    log.info(`⏸️ CodeDeploy deployment ${id} is Ready: test traffic reaches the replacement task set, production waits${expires}.`);
    if (this.expiresAt && this.expiresAt.getTime() < clock.now() + verdictWithinMs)
      log.warning(
        `The ready wait of CodeDeploy deployment ${id} ends in about ${formatDuration(Math.max(0, this.expiresAt.getTime() - clock.now()))}, before the verdict may come (timeout plus bake: ${formatDuration(verdictWithinMs)}): if it comes later, CodeDeploy will already have stopped the deployment.`,
      );
  }
}
