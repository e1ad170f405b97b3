/**
 * ServiceDeployment.status (API reference: PENDING, SUCCESSFUL, STOPPED, STOP_REQUESTED, IN_PROGRESS,
 * ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED), grouped as the suite's decisions read
 * them. The SDK types the status as an open string: a value outside these is shown as it is and waited on.
 */

/** Still moving towards its target revision. */
export const UNDER_WAY_STATUSES: ReadonlySet<string> = new Set(['PENDING', 'IN_PROGRESS']);

/** ECS has been asked to roll it back, or is doing so: the rollback is ECS's to finish, not a new one's to start. */
export const ROLLBACK_UNDER_WAY_STATUSES: ReadonlySet<string> = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

/** ECS rolled it back, or is rolling it back: the release did not stand. */
export const ROLLING_BACK_STATUSES: ReadonlySet<string> = new Set([...ROLLBACK_UNDER_WAY_STATUSES, 'ROLLBACK_SUCCESSFUL']);

/** Stopped, or being stopped, without a rollback. */
export const STOPPING_STATUSES: ReadonlySet<string> = new Set(['STOPPED', 'STOP_REQUESTED']);

/** Finished one way or the other: nothing more will happen to it. */
export const ENDED_STATUSES: ReadonlySet<string> = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** Every status ECS documents. */
export const KNOWN_SERVICE_DEPLOYMENT_STATUSES: ReadonlySet<string> = new Set([
  ...UNDER_WAY_STATUSES,
  ...ROLLING_BACK_STATUSES,
  ...STOPPING_STATUSES,
  'SUCCESSFUL',
  'ROLLBACK_FAILED',
]);

/** The target revision is on its way out or gone: rolled back (or failing to be), or stopped. */
export function isLeavingStatus(status: string | undefined): boolean {
  return status !== undefined && (ROLLING_BACK_STATUSES.has(status) || STOPPING_STATUSES.has(status) || status === 'ROLLBACK_FAILED');
}
