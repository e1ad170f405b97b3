import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { CodeDeployDeploymentRead } from './read-deployment';
import { lifecycleEvent, terminationWaitBegun } from './stages';
import { isFinalDeploymentStatus } from './statuses';

/** Where a CodeDeploy deployment stands for whoever would answer its ready wait (ContinueDeployment READY_WAIT). */
export type ReadyWaitState =
  /** Ready: test traffic reaches the replacement, production waits. expiresAt: when CodeDeploy stops it, if known. */
  | { kind: 'awaiting'; expiresAt?: Date }
  /** Succeeded, Failed or Stopped: nothing is left to answer. */
  | { kind: 'ended'; status: string; why: string }
  /** Past Ready: production traffic is being rerouted, or was, and the termination wait keeps the original. */
  | { kind: 'past-ready'; why: string }
  /** The deployment group does not wait (deploymentReadyOption CONTINUE_DEPLOYMENT): it will never be Ready. */
  | { kind: 'no-ready-wait'; why: string }
  /** Before Ready: read again. */
  | { kind: 'before-ready'; event?: string };

// The events from which production traffic moves (AppSpec "hooks" section for ECS, user guide): a deployment
// that has started one of them is past its ready wait, which sits between AfterAllowTestTraffic and them.
const AFTER_READY = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'];

/**
 * Reads a deployment as GetDeployment and GetDeploymentTarget give it. A status this suite does not know leaves the
 * deployment "before Ready": read again rather than decide on a guess. An InProgress deployment whose
 * AfterAllowTestTraffic has succeeded and whose BeforeAllowTraffic has not started is read as before Ready too:
 * whether CodeDeploy shows a moment of that between the event and Ready is *unconfirmed*, and the next read tells.
 */
export function readyWaitState(read: CodeDeployDeploymentRead): ReadyWaitState {
  const { deployment, target } = read;
  const status = deployment.status ?? 'Unknown';
  if (status === 'Ready') return { kind: 'awaiting', expiresAt: readyWaitExpiry(read) };
  if (isFinalDeploymentStatus(status)) return { kind: 'ended', status, why: whyEnded(deployment, status) };
  if (terminationWaitBegun(read))
    return {
      kind: 'past-ready',
      why: 'production traffic was rerouted to the replacement task set, and the termination wait keeps the original one',
    };
  const started = AFTER_READY.map((name) => lifecycleEvent(target, name))
    .filter((event) => event?.status && event.status !== 'Pending')
    .at(-1);
  if (started)
    return {
      kind: 'past-ready',
      why: `it is past its ready wait, rerouting production traffic (${started?.lifecycleEventName} ${started?.status})`,
    };
  const ready = deployment.blueGreenDeploymentConfiguration?.deploymentReadyOption;
  if (ready?.actionOnTimeout !== undefined && ready.actionOnTimeout !== 'STOP_DEPLOYMENT')
    return {
      kind: 'no-ready-wait',
      why: `its deployment group does not wait for ContinueDeployment (deploymentReadyOption ${ready.actionOnTimeout})`,
    };
  const current = target?.lifecycleEvents?.find((event) => event.status === 'InProgress')?.lifecycleEventName;
  return { kind: 'before-ready', event: current };
}

/**
 * When CodeDeploy stops a Ready deployment nobody continued: the group's waitTimeInMinutes after the deployment became
 * Ready, taken as AfterAllowTestTraffic's end (*unconfirmed*: CodeDeploy does not report when Ready began).
 */
function readyWaitExpiry(read: CodeDeployDeploymentRead): Date | undefined {
  const minutes = read.deployment.blueGreenDeploymentConfiguration?.deploymentReadyOption?.waitTimeInMinutes;
  const readyAt = lifecycleEvent(read.target, 'AfterAllowTestTraffic')?.endTime;
  if (minutes === undefined || readyAt === undefined) return undefined;
  return new Date(readyAt.getTime() + minutes * 60_000);
}

/** Why a deployment with a final status ended, in words, with errorInformation and the rollback CodeDeploy started. */
export function whyEnded(deployment: DeploymentInfo, status: string): string {
  if (status === 'Succeeded') return 'it has finished (Succeeded)';
  const error = deployment.errorInformation;
  const because = error?.code || error?.message ? ` (${[error.code, error.message].filter(Boolean).join(': ')})` : '';
  const rollback = deployment.rollbackInfo?.rollbackDeploymentId
    ? `; CodeDeploy rolls it back in deployment ${deployment.rollbackInfo.rollbackDeploymentId}`
    : '';
  return `it has ended ${status}${because}${rollback}`;
}

/** What became of a ready wait this step meant to answer, in words. */
export function whatBecameOfReadyWait(read: CodeDeployDeploymentRead): string {
  const state = readyWaitState(read);
  if (state.kind === 'ended') return `the deployment is over: ${state.why}`;
  if (state.kind === 'past-ready')
    return `the deployment went on past Ready without this step's answer (someone else called ContinueDeployment): ${state.why}`;
  if (state.kind === 'awaiting') return 'it is still Ready';
  return `the deployment is ${read.deployment.status ?? 'in an unknown status'}`;
}
