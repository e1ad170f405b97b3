import type { CodeDeployDeploymentRead } from './read-deployment';
import { whyEnded } from './ready-wait';
import { lifecycleEvent, terminationWaitBegun } from './stages';
import { isFinalDeploymentStatus } from './statuses';

/** Where a CodeDeploy deployment stands for whoever would end its termination wait (ContinueDeployment TERMINATION_WAIT). */
export type TerminationWaitState =
  /** Production rerouted, the original task set kept. expiresAt: when CodeDeploy terminates it itself, if known. */
  | { kind: 'awaiting'; expiresAt?: Date }
  | { kind: 'ended'; status: string; why: string }
  /** Not rerouted yet (Ready, shifting traffic): read again. */
  | { kind: 'before'; at?: string };

export function terminationWaitState(read: CodeDeployDeploymentRead): TerminationWaitState {
  const status = read.deployment.status ?? 'Unknown';
  if (isFinalDeploymentStatus(status)) return { kind: 'ended', status, why: whyEnded(read.deployment, status) };
  if (terminationWaitBegun(read)) return { kind: 'awaiting', expiresAt: terminationWaitExpiry(read) };
  const current = read.target?.lifecycleEvents?.find((event) => event.status === 'InProgress')?.lifecycleEventName;
  return { kind: 'before', at: status === 'Ready' ? 'Ready' : current };
}

/**
 * When CodeDeploy terminates the original task set itself: the group's terminationWaitTimeInMinutes after production
 * was rerouted, taken as AfterAllowTraffic's end (*unconfirmed*: CodeDeploy does not report when the wait began).
 */
function terminationWaitExpiry(read: CodeDeployDeploymentRead): Date | undefined {
  const minutes = read.deployment.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes;
  const reroutedAt = lifecycleEvent(read.target, 'AfterAllowTraffic')?.endTime;
  if (minutes === undefined || reroutedAt === undefined) return undefined;
  return new Date(reroutedAt.getTime() + minutes * 60_000);
}
