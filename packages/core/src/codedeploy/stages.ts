import type { ECSTarget, ECSTaskSet, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { CodeDeployDeploymentRead } from './read-deployment';

/** The task set of a label: Blue is the original, Green the replacement (ECSTaskSet.taskSetLabel). */
export function taskSetLabelled(target: ECSTarget | undefined, label: 'Blue' | 'Green'): ECSTaskSet | undefined {
  return target?.taskSetsInfo?.find((taskSet) => taskSet.taskSetLabel === label);
}

/** The lifecycle event that failed the target, if one did. */
export function failedLifecycleEvent(target: ECSTarget | undefined): LifecycleEvent | undefined {
  return target?.lifecycleEvents?.find((event) => event.status === 'Failed');
}

export function lifecycleEvent(target: ECSTarget | undefined, name: string): LifecycleEvent | undefined {
  return target?.lifecycleEvents?.find((event) => event.lifecycleEventName === name);
}

/**
 * Whether the deployment waits for ContinueDeployment READY_WAIT: the replacement runs and takes test traffic, and
 * production traffic moves only when told (deployment group's deploymentReadyOption STOP_DEPLOYMENT).
 */
export function awaitsReadyWait(read: CodeDeployDeploymentRead): boolean {
  return read.deployment.status === 'Ready';
}

const DONE: ReadonlySet<string> = new Set(['Succeeded', 'Skipped']);

/**
 * Whether production traffic has been rerouted and the termination wait (the original task set kept for a quick
 * way back) has begun. The deployment stays InProgress until the original is terminated, and
 * instanceTerminationWaitTimeStarted has been reported to stay false through the wait (aws/containers-roadmap#269),
 * so the target's status and its AfterAllowTraffic event decide too.
 */
export function terminationWaitBegun(read: CodeDeployDeploymentRead): boolean {
  if (read.deployment.status !== 'InProgress') return false;
  if (read.deployment.instanceTerminationWaitTimeStarted) return true;
  const afterAllowTraffic = lifecycleEvent(read.target, 'AfterAllowTraffic');
  return read.target?.status === 'Succeeded' && afterAllowTraffic?.status !== undefined && DONE.has(afterAllowTraffic.status);
}
