import { readyWaitState, stillWaiting, type CodeDeployDeploymentRead } from '../../codedeploy';
import { CodeDeployGate, type CodeDeployGateState } from './codedeploy-gate';
import type { DeploymentAction } from './deployment-gate';

/**
 * The gate of a CodeDeploy deployment whose group waits for ContinueDeployment (deploymentReadyOption
 * STOP_DEPLOYMENT): Ready is the replacement task set taking test traffic while production waits. Healthy:
 * ContinueDeployment READY_WAIT, and production moves; not: StopDeployment with autoRollbackEnabled. It never ends
 * the termination wait that follows: the original task set kept after rerouting is CodeDeploy's way back.
 */
export class ReadyGate extends CodeDeployGate {
  protected readonly continueAnswer = 'continue' as const;

  get waitingFor(): string {
    return `CodeDeploy deployment ${this.gated.deploymentId} to be Ready (waiting for ContinueDeployment)`;
  }

  protected stateOf(read: CodeDeployDeploymentRead): CodeDeployGateState {
    const state = readyWaitState(read);
    if (state.kind === 'awaiting') return state;
    if (state.kind === 'before-ready') return { kind: 'before', at: state.event };
    return { kind: 'none', why: state.why };
  }

  protected announce(verdictWithinMs: number): void {
    const expires = this.expiresAt ? `; CodeDeploy stops it if not continued by about ${this.expiresAt.toISOString()}` : '';
    this.ports.log.info(
      `⏸️ CodeDeploy deployment ${this.gated.deploymentId} is Ready: test traffic reaches the replacement task set, production waits${expires}.`,
    );
    this.warnIfExpiring('The ready wait', 'CodeDeploy will already have stopped the deployment', verdictWithinMs);
  }

  protected answeredLine(action: DeploymentAction): string {
    const id = this.gated.deploymentId;
    if (action === 'continued')
      return `▶️ Continued CodeDeploy deployment ${id} at Ready (ContinueDeployment READY_WAIT): the release is healthy, and production traffic moves to the replacement task set. The termination wait keeps the original task set as CodeDeploy's way back.`;
    return `⏪ Stopped CodeDeploy deployment ${id} with rollback (StopDeployment autoRollbackEnabled): the release is not healthy, and production traffic stays on, or returns to, the original task set.`;
  }

  notWaiting(why: string): string {
    return `continue-deployment: CodeDeploy deployment ${this.gated.deploymentId} does not wait at Ready: ${why}. deployment-action is none; the health check runs without answering anything.`;
  }

  unanswered(): string {
    return stillWaiting(this.gated.deploymentId, 'continue');
  }

  summaryLine(action: DeploymentAction): string {
    const at = `CodeDeploy deployment \`${this.gated.deploymentId}\` at Ready`;
    if (action === 'continued') return `▶️ **Deployment continued**: ${at}, ContinueDeployment READY_WAIT.`;
    if (action === 'rolled-back') return `⏪ **Deployment stopped and rolled back**: ${at}, StopDeployment with autoRollbackEnabled.`;
    return `⚠️ **No answer sent** to ${at}: see the warning in the log.`;
  }
}
