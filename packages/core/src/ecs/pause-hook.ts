import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { KNOWN_SERVICE_DEPLOYMENT_STATUSES, UNDER_WAY_STATUSES } from './service-deployment-statuses';

/** A PAUSE lifecycle hook that awaits an answer (ContinueServiceDeployment). */
export interface AwaitingPauseHook {
  hookId: string;
  /** The deployment's lifecycle stage while the hook waits, e.g. POST_TEST_TRAFFIC_SHIFT. */
  stage?: string;
  /** When ECS stops waiting and takes timeoutAction itself. */
  expiresAt?: Date;
  /** What ECS does when the hook expires: ROLLBACK (ECS's default) or CONTINUE. */
  timeoutAction: string;
}

/** Where a service deployment stands for whoever would answer its PAUSE hook. */
export type PauseHookState =
  | { kind: 'awaiting'; hook: AwaitingPauseHook }
  /** No longer IN_PROGRESS (or PENDING): finished, stopped or rolling back; nothing is left to answer. */
  | { kind: 'ended'; status: string; why: string }
  /** In progress, but no PAUSE hook will await action: none configured, or the deployment is past every one. */
  | { kind: 'no-pause-hook'; why: string }
  /** In progress, before its PAUSE hook: read again. */
  | { kind: 'before-hook'; stage?: string };

// ECS refuses PAUSE hooks at TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT, and has no hook stage after
// POST_PRODUCTION_TRAFFIC_SHIFT: from the bake on, every PAUSE hook is behind the deployment (LINEAR and CANARY
// repeat the production stages per step, so only these two stages are safely past all of them).
const PAST_EVERY_HOOK = new Set(['BAKE_TIME', 'CLEAN_UP']);

/**
 * Reads a service deployment as DescribeServiceDeployments gives it: a PAUSE hook awaiting action (lifecycleHookDetails,
 * targetType PAUSE, status AWAITING_ACTION), or why none is or will be. A status or stage this suite does not know
 * leaves the deployment "before its hook": read again rather than decide on a guess.
 */
export function pauseHookState(deployment: ServiceDeployment): PauseHookState {
  const status = deployment.status ?? 'UNKNOWN';
  const stage = deployment.lifecycleStage;
  const awaiting = awaitingPauseHook(deployment);
  if (awaiting && status === 'IN_PROGRESS') return { kind: 'awaiting', hook: awaiting };
  if (!UNDER_WAY_STATUSES.has(status) && KNOWN_SERVICE_DEPLOYMENT_STATUSES.has(status))
    return { kind: 'ended', status, why: whyEnded(deployment, status) };
  // A deployment configuration without lifecycleHooks has none (ECS leaves empty lists out); no configuration at
  // all says nothing, and the stage decides.
  const configuration = deployment.deploymentConfiguration;
  if (configuration !== undefined && !(configuration.lifecycleHooks ?? []).some((hook) => hook.targetType === 'PAUSE'))
    return { kind: 'no-pause-hook', why: 'its deployment configuration has no PAUSE lifecycle hook' };
  if (stage && PAST_EVERY_HOOK.has(stage))
    return { kind: 'no-pause-hook', why: `it is at ${stage}, past every stage a PAUSE hook can wait at` };
  return { kind: 'before-hook', stage };
}

/** The PAUSE hook that awaits action, if one does. */
export function awaitingPauseHook(deployment: ServiceDeployment): AwaitingPauseHook | undefined {
  const detail = pauseHooks(deployment).find((hook) => hook.status === 'AWAITING_ACTION' && hook.hookId);
  if (!detail?.hookId) return undefined;
  return {
    hookId: detail.hookId,
    stage: deployment.lifecycleStage,
    expiresAt: detail.expiresAt,
    timeoutAction: detail.timeoutAction ?? 'ROLLBACK',
  };
}

/** The deployment's record of the hook with this id, if it still lists it. */
export function pauseHookDetail(deployment: ServiceDeployment, hookId: string): DeploymentLifecycleHookDetail | undefined {
  return pauseHooks(deployment).find((hook) => hook.hookId === hookId);
}

function pauseHooks(deployment: ServiceDeployment): DeploymentLifecycleHookDetail[] {
  return (deployment.lifecycleHookDetails ?? []).filter((hook) => hook.targetType === 'PAUSE');
}

function whyEnded(deployment: ServiceDeployment, status: string): string {
  const reason = deployment.rollback?.reason ?? deployment.statusReason;
  const because = reason ? `: ${reason}` : '';
  if (status === 'SUCCESSFUL') return 'it has finished (SUCCESSFUL)';
  if (status.startsWith('ROLLBACK_'))
    return `ECS ${status === 'ROLLBACK_SUCCESSFUL' || status === 'ROLLBACK_FAILED' ? 'rolled it back' : 'is rolling it back'} (${status})${because}`;
  return `it was stopped (${status})${because}`;
}

/**
 * What became of a hook this step meant to answer, in words: "it timed out at …, and ECS took its timeout action
 * ROLLBACK", "ECS is rolling the deployment back (…)", "it was answered (SUCCEEDED) by someone else".
 */
export function whatBecameOfHook(deployment: ServiceDeployment, hook: AwaitingPauseHook): string {
  const detail = pauseHookDetail(deployment, hook.hookId);
  const status = deployment.status ?? 'UNKNOWN';
  const state = pauseHookState(deployment);
  const ended = state.kind === 'ended' ? `; the deployment: ${state.why}` : '';
  if (detail?.status === 'TIMED_OUT')
    return `it expired${hook.expiresAt ? ` at ${hook.expiresAt.toISOString()}` : ''} and ECS took its timeout action ${detail.timeoutAction ?? hook.timeoutAction}${ended}`;
  if (detail?.status && detail.status !== 'AWAITING_ACTION') return `it is ${detail.status}, answered by someone else or by ECS${ended}`;
  if (state.kind === 'ended') return `the deployment is over: ${state.why}`;
  if (!detail && deployment.lifecycleStage !== hook.stage)
    return `the deployment went on past ${hook.stage ?? 'its stage'} without this step's answer (now ${status} at ${deployment.lifecycleStage ?? 'an unknown stage'}): someone else answered it, or it expired with timeout action ${hook.timeoutAction}`;
  if (!detail) return `the deployment no longer lists it (status ${status}, stage ${deployment.lifecycleStage ?? 'unknown'})`;
  return `it is still AWAITING_ACTION (deployment ${status})`;
}
