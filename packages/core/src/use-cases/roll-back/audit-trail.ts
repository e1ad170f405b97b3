import { shortTaskDefinition } from '../../common/identifiers';
import type { RecordingAuditTrail } from '../../common/audit-trail';
import type { RollBackServiceRequest } from './request';

/**
 * Before the service changes: the failed release's Deployment (the newest of this commit to the environment)
 * says it was rolled back and why, and the rollback is recorded as a Deployment of its own, in progress.
 */
export async function recordRollback(
  trail: RecordingAuditTrail | undefined,
  inputs: RollBackServiceRequest,
  fromArn: string | undefined,
  targetArn: string,
): Promise<void> {
  if (!trail) return;
  await trail.follow();
  await trail.report('failure', `rolled back: ${inputs.reason ?? 'no reason given'}`);
  await trail.start({
    task: 'deploy:rollback',
    description: `rollback of ${inputs.cluster}/${inputs.service} to ${shortTaskDefinition(targetArn)}`,
    payload: {
      cluster: inputs.cluster,
      service: inputs.service,
      region: inputs.region,
      'task-definition-arn': targetArn,
      'previous-task-definition-arn': fromArn ?? '',
      reason: inputs.reason ?? '',
    },
  });
}
