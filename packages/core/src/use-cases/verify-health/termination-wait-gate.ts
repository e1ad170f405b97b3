import { stillWaiting, terminationWaitState, type CodeDeployDeploymentRead } from '../../codedeploy';
import { CodeDeployGate, type CodeDeployGateState } from './codedeploy-gate';
import type { DeploymentAction } from './deployment-gate';

/**
 * The gate of a CodeDeploy deployment's termination wait, asked for with end-termination-wait: production traffic
 * has moved to the replacement task set and the original is kept as the way back. Judged healthy in production:
 * ContinueDeployment TERMINATION_WAIT ends the wait now (the original is terminated); not: StopDeployment with
 * autoRollbackEnabled, and CodeDeploy moves production back to the original it kept.
 */
export class TerminationWaitGate extends CodeDeployGate {
  protected readonly continueAnswer = 'end-termination-wait' as const;

  get waitingFor(): string {
    return `CodeDeploy deployment ${this.gated.deploymentId} to reroute production traffic and begin its termination wait`;
  }

  protected stateOf(read: CodeDeployDeploymentRead): CodeDeployGateState {
    const state = terminationWaitState(read);
    if (state.kind === 'ended') return { kind: 'none', why: state.why };
    return state;
  }

  protected announce(verdictWithinMs: number): void {
    const expires = this.expiresAt ? `; CodeDeploy terminates the original by about ${this.expiresAt.toISOString()}` : '';
    this.ports.log.info(
      `⏸️ CodeDeploy deployment ${this.gated.deploymentId} is in its termination wait: production traffic reaches the replacement task set, the original is kept${expires}.`,
    );
    this.warnIfExpiring(
      'The termination wait',
      'CodeDeploy will already have terminated the original task set, and an unhealthy verdict cannot move production back to it',
      verdictWithinMs,
    );
  }

  protected answeredLine(action: DeploymentAction): string {
    const id = this.gated.deploymentId;
    if (action === 'continued')
      return `⏭️ Ended the termination wait of CodeDeploy deployment ${id} (ContinueDeployment TERMINATION_WAIT): the release is healthy in production, and CodeDeploy terminates the original task set now.`;
    return `⏪ Stopped CodeDeploy deployment ${id} with rollback (StopDeployment autoRollbackEnabled): the release is not healthy in production, and CodeDeploy moves production traffic back to the original task set it kept.`;
  }

  notWaiting(why: string): string {
    return `continue-deployment with end-termination-wait: CodeDeploy deployment ${this.gated.deploymentId} has no termination wait left to end: ${why}. deployment-action is none; the health check runs without answering anything.`;
  }

  unanswered(): string {
    return stillWaiting(this.gated.deploymentId, 'end-termination-wait');
  }

  summaryLine(action: DeploymentAction): string {
    const at = `CodeDeploy deployment \`${this.gated.deploymentId}\` in its termination wait`;
    if (action === 'continued') return `⏭️ **Termination wait ended**: ${at}, ContinueDeployment TERMINATION_WAIT.`;
    if (action === 'rolled-back') return `⏪ **Deployment stopped and rolled back**: ${at}, StopDeployment with autoRollbackEnabled.`;
    return `⚠️ **No answer sent** to ${at}: see the warning in the log.`;
  }
}
