import { DescribeServiceDeploymentsCommand, type ECSClient, type ServiceDeployment } from '@aws-sdk/client-ecs';
import {
  ActionFailure,
  ConfigurationError,
  errorMessage,
  formatDuration,
  isAccessDenied,
  poll,
  type CancellationSignal,
  type Clock,
  type Logger,
} from '../../common';
import {
  answerPauseHook,
  pauseHookState,
  ServiceDeploymentReader,
  serviceDeploymentId,
  stillWaiting,
  whatBecameOfHook,
  awaitingPauseHook,
  type AwaitingPauseHook,
  type ServiceDeploymentArn,
} from '../../ecs';
import type { HealthReport } from '../../health';
import { withoutFullStop, type DeploymentAction, type DeploymentGate, type GateWait } from './deployment-gate';

export interface PauseGatePorts {
  log: Logger;
  clock: Clock;
  signal?: CancellationSignal;
}

/**
 * verify-health as the gate of a service deployment's PAUSE hook: it waits for the hook to await action, and once
 * the verdict is in answers it, CONTINUE when healthy and ROLLBACK when not. Nothing is answered on a cancellation,
 * and nothing a hook that no longer awaits (it expired, ECS rolled back, someone else answered): the verdict stands
 * and the step says what became of the hook.
 */
export class PauseGate implements DeploymentGate {
  private readonly reader: ServiceDeploymentReader;
  private readonly id: string;
  /** The hook that awaits action, once wait has found it. */
  private hook?: AwaitingPauseHook;
  readonly waitingFor: string;

  constructor(
    private readonly ecs: ECSClient,
    private readonly deployment: ServiceDeploymentArn,
    private readonly ports: PauseGatePorts,
  ) {
    this.reader = new ServiceDeploymentReader(ecs, ports.log);
    this.id = serviceDeploymentId(deployment.arn);
    this.waitingFor = `a PAUSE hook of service deployment ${this.id}`;
  }

  /**
   * Waits, within timeoutMs, for a PAUSE hook to await action. A deployment that has ended, or that has no PAUSE
   * hook ahead of it, answers `none` (with why) at once; a wait that outlasts the timeout fails the step.
   */
  async wait(timeoutMs: number, intervalMs: number, verdictWithinMs: number): Promise<GateWait> {
    const { log, clock, signal } = this.ports;
    const first = await this.readFirst();
    let last = first;
    let stage: string | undefined;
    log.info(`Waiting up to ${formatDuration(timeoutMs)} for a PAUSE hook of service deployment ${this.id} to await action.`);
    const waited = await poll<{ hook: AwaitingPauseHook } | { none: string }>({
      intervalMs,
      timeoutMs,
      clock,
      signal,
      check: async (attempt) => {
        const read = attempt === 1 ? first : await this.reader.read(this.deployment.arn);
        // Throttled or failing: this poll learns nothing; the next one reads again.
        if (read === undefined) return undefined;
        if (read === 'unavailable')
          throw new ActionFailure(`Service deployment ${this.id} can no longer be read (DescribeServiceDeployments).`);
        last = read;
        const state = pauseHookState(read);
        if (state.kind === 'awaiting') return { hook: state.hook };
        if (state.kind === 'ended' || state.kind === 'no-pause-hook') return { none: state.why };
        if (state.stage !== stage && state.stage) log.info(`Service deployment ${this.id} is at ${state.stage}.`);
        stage = state.stage;
        return undefined;
      },
    });
    if (!waited.done) {
      throw new ActionFailure(
        `No PAUSE hook of service deployment ${this.id} awaited action within the timeout of ${formatDuration(timeoutMs)} (the deployment is ${last.status ?? 'in an unknown status'} at ${last.lifecycleStage ?? 'an unknown stage'}): nothing was probed or answered. Raise 'timeout', or start verify-health once deploy-ecs returns with wait-until: paused.`,
      );
    }
    if (!('hook' in waited.value)) return waited.value;
    this.hook = waited.value.hook;
    this.announce(this.hook, verdictWithinMs);
    return { waiting: true };
  }

  /** Answers the hook by the verdict, when it still awaits action; says what became of it when it does not. */
  async answer(report: HealthReport): Promise<DeploymentAction> {
    const { log } = this.ports;
    const hook = this.awaited();
    const action = report.healthy ? 'CONTINUE' : 'ROLLBACK';
    const verdict = report.healthy ? 'healthy' : 'not healthy';
    const reread = () => this.readFresh();
    const now = await reread();
    const awaiting = now && now.status === 'IN_PROGRESS' && awaitingPauseHook(now)?.hookId === hook.hookId;
    if (!awaiting) {
      const became = now ? whatBecameOfHook(now, hook) : 'ECS no longer knows the service deployment';
      log.warning(
        `The release was found ${verdict}, but the PAUSE hook ${hook.hookId} of service deployment ${this.id} was not answered (${action}): ${withoutFullStop(became)}. deployment-action is none; the verdict stands.`,
      );
      return 'none';
    }
    const answer = await answerPauseHook(this.ecs, this.deployment.arn, hook, action, reread, this.ports);
    if (!answer.answered) {
      log.warning(
        `The release was found ${verdict}, but the PAUSE hook ${hook.hookId} of service deployment ${this.id} was not answered (${action}): ${withoutFullStop(answer.why)}. deployment-action is none; the verdict stands.`,
      );
      return 'none';
    }
    if (action === 'CONTINUE') {
      log.info(
        `▶️ Continued service deployment ${this.id} at its PAUSE hook ${hook.hookId} (${hook.stage ?? 'unknown stage'}): the release is healthy.`,
      );
      return 'continued';
    }
    log.info(
      `⏪ Rolled back service deployment ${this.id} at its PAUSE hook ${hook.hookId} (${hook.stage ?? 'unknown stage'}): the release is not healthy.`,
    );
    return 'rolled-back';
  }

  /** The first read says at once what is wrong with the input or the role, before any wait. */
  private async readFirst(): Promise<ServiceDeployment> {
    let found: ServiceDeployment | undefined;
    try {
      found = await this.readFresh();
    } catch (error) {
      const answered = `${(error as Error).name}: ${errorMessage(error)}`;
      if (isAccessDenied(error))
        throw new ActionFailure(
          `DescribeServiceDeployments of ${this.id} was refused (${answered}): grant the role ecs:DescribeServiceDeployments so verify-health can follow the deployment it gates.`,
        );
      throw error;
    }
    if (!found) {
      throw new ConfigurationError(
        `Input 'continue-deployment' names service deployment ${this.deployment.arn}, which ECS does not know in ${this.deployment.region} (DescribeServiceDeployments answers MISSING; ECS keeps 90 days of them): give the ARN of a current one, such as deploy-ecs's service-deployment-arn output.`,
        'continue-deployment',
      );
    }
    return found;
  }

  /** The deployment, read now with the client's own retries; undefined when ECS no longer knows it. */
  private async readFresh(): Promise<ServiceDeployment | undefined> {
    const answer = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [this.deployment.arn] }));
    return answer.serviceDeployments?.find((sd) => sd.serviceDeploymentArn === this.deployment.arn);
  }

  /** verdictWithinMs: how long the verdict may take from now (the check's timeout plus its bake). */
  private announce(hook: AwaitingPauseHook, verdictWithinMs: number): void {
    const { log, clock } = this.ports;
    const expires = hook.expiresAt ? `; it expires at ${hook.expiresAt.toISOString()} (timeout action ${hook.timeoutAction})` : '';
    log.info(
      `⏸️ PAUSE hook ${hook.hookId} of service deployment ${this.id} awaits action at ${hook.stage ?? 'an unknown stage'}${expires}.`,
    );
    if (hook.expiresAt && hook.expiresAt.getTime() < clock.now() + verdictWithinMs)
      log.warning(
        `The PAUSE hook ${hook.hookId} expires in ${formatDuration(Math.max(0, hook.expiresAt.getTime() - clock.now()))}, before the verdict may come (timeout plus bake: ${formatDuration(verdictWithinMs)}): if it comes later, ECS will already have taken its timeout action ${hook.timeoutAction}.`,
      );
  }

  notWaiting(why: string): string {
    return `continue-deployment: service deployment ${this.id} has no PAUSE hook awaiting action: ${why}. deployment-action is none; the health check runs without answering anything.`;
  }

  /** For a cancellation: what the hook left unanswered will do. */
  unanswered(): string {
    return stillWaiting(this.awaited());
  }

  cancelledWhileAnswering(): string {
    return `The workflow was cancelled while the answer to the PAUSE hook was being retried: no further attempt was sent. Unless an earlier attempt went through (DescribeServiceDeployments shows it): ${this.unanswered()}`;
  }

  summaryLine(action: DeploymentAction): string {
    const hook = this.awaited();
    const at = `PAUSE hook \`${hook.hookId}\` at ${hook.stage ?? 'an unknown stage'}`;
    if (action === 'continued') return `▶️ **Deployment continued** at its ${at}.`;
    if (action === 'rolled-back') return `⏪ **Deployment rolled back** at its ${at}.`;
    return `⚠️ **No answer sent** to the ${at}: see the warning in the log.`;
  }

  rolledBackSentence(): string {
    return ` Service deployment ${this.id} was rolled back at its PAUSE hook (${this.awaited().stage ?? 'unknown stage'}).`;
  }

  private awaited(): AwaitingPauseHook {
    if (!this.hook) throw new Error('The PAUSE gate has no hook awaiting action: wait() did not find one.');
    return this.hook;
  }
}
