import type { LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { CodeDeployDeploymentRead } from '../../codedeploy/read-deployment';
import { awaitsReadyWait, failedLifecycleEvent, terminationWaitBegun } from '../../codedeploy/stages';
import type { RolloutCause } from '../../ecs/rollout';
import type { WaitUntil } from '../../ecs/watch-loop';

/** Where the watch of a CodeDeploy deployment ends, and which kind of end counts as the goal. */
export interface CodeDeployGoal {
  waitUntil?: WaitUntil;
  /** `rollback`: the deployment watched is a rollback deployment; its Succeeded is the success all the same. */
  expect?: 'release' | 'rollback';
}

export type CodeDeployVerdict =
  | { state: 'in-progress' }
  | { state: 'succeeded' }
  /** wait-until bake: production is rerouted and the termination wait (the original task set kept) has begun. */
  | { state: 'baking' }
  /** wait-until paused: the deployment is Ready, waiting for ContinueDeployment READY_WAIT. */
  | { state: 'paused' }
  | { state: 'failed' | 'rolled-back'; cause: RolloutCause; reason: string; rollbackDeploymentId?: string };

/** errorInformation codes (ErrorInformation.code, API reference) as the suite's causes; any other is CodeDeploy's. */
const CAUSES: Record<string, RolloutCause> = {
  HOOK_EXECUTION_FAILURE: 'lifecycle-hook',
  ALARM_ACTIVE: 'alarm',
  MANUAL_STOP: 'rollback-requested',
};

/**
 * One read judged: Succeeded is the end; Failed and Stopped are a failure, a rollback when CodeDeploy names a
 * rollback deployment in rollbackInfo; Ready and the termination wait end the watch early only when wait-until asks
 * for them. Every other status (Created, Queued, InProgress, Baking, and any this suite does not know) goes on.
 */
export function judgeCodeDeployDeployment(read: CodeDeployDeploymentRead, goal: CodeDeployGoal = {}): CodeDeployVerdict {
  const { deployment } = read;
  const status = deployment.status;
  if (status === 'Succeeded') return { state: 'succeeded' };
  if (status === 'Failed' || status === 'Stopped') {
    const rollbackDeploymentId = deployment.rollbackInfo?.rollbackDeploymentId;
    const code = deployment.errorInformation?.code;
    return {
      state: rollbackDeploymentId && goal.expect !== 'rollback' ? 'rolled-back' : 'failed',
      cause: (code && CAUSES[code]) ?? 'ecs',
      reason: failureReason(read),
      ...(rollbackDeploymentId ? { rollbackDeploymentId } : {}),
    };
  }
  if (goal.waitUntil === 'paused' && awaitsReadyWait(read)) return { state: 'paused' };
  if (goal.waitUntil === 'bake' && terminationWaitBegun(read)) return { state: 'baking' };
  return { state: 'in-progress' };
}

/**
 * `CodeDeploy ended it Failed at lifecycle event AfterAllowTestTraffic (HOOK_EXECUTION_FAILURE: …)`, with the event's
 * diagnostics when they say more than errorInformation. A rollback is said by the report (who rolls back, to what).
 */
export function failureReason(read: CodeDeployDeploymentRead): string {
  const { deployment } = read;
  const error = deployment.errorInformation;
  const said = [error?.code, error?.message].filter(Boolean).join(': ');
  const event = failedLifecycleEvent(read.target);
  const at = event ? ` at lifecycle event ${event.lifecycleEventName}` : '';
  const diagnostics = event ? describeDiagnostics(event, error?.message) : '';
  return `CodeDeploy ended it ${deployment.status}${at}${said ? ` (${said})` : ''}${diagnostics ? `; the event's diagnostics: ${diagnostics}` : ''}`;
}

/** A failed event's diagnostics (errorCode, script, message, log tail), or '' when they only repeat `known`. */
export function describeDiagnostics(event: LifecycleEvent, known?: string): string {
  const d = event.diagnostics;
  if (!d) return '';
  const message = d.message && d.message !== known ? d.message : undefined;
  const tail = d.logTail?.trim() ? `log tail: ${d.logTail.trim().slice(-500)}` : undefined;
  if (!message && !tail && !d.scriptName) return '';
  return [d.errorCode, d.scriptName, message, tail].filter(Boolean).join(': ');
}
