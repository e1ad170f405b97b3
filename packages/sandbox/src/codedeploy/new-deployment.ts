/** A new deployment record, Created, its one ECS target's events Pending; the scheduler's next pass starts it (codedeploy/lifecycle). */
import { randomBytes } from 'node:crypto';
import type { Context } from '../context';
import { LIFECYCLE_EVENTS } from './events';
import type { DeploymentRecord } from './state';
import { recordDeploymentCreated } from './progress';
import { useRevision } from './revisions';

/** Deployment ids are `d-` and 9 upper-case letters and digits (API reference examples, e.g. d-A1B2C3123). */
function newDeploymentId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `d-${Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join('')}`;
}

export function newDeployment(
  ctx: Context,
  fields: Omit<
    DeploymentRecord,
    'deploymentId' | 'status' | 'createTime' | 'target' | 'productionWeight' | 'eventIndex' | 'instanceTerminationWaitTimeStarted'
  > & { cluster: string; service: string },
): DeploymentRecord {
  const { cluster, service, ...rest } = fields;
  const now = ctx.clock.now();
  const deployment: DeploymentRecord = {
    ...rest,
    deploymentId: newDeploymentId(),
    status: 'Created',
    createTime: now,
    instanceTerminationWaitTimeStarted: false,
    target: {
      cluster,
      service,
      status: 'Pending',
      lastUpdatedAt: now,
      lifecycleEvents: LIFECYCLE_EVENTS.map((lifecycleEventName) => ({ lifecycleEventName, status: 'Pending' })),
    },
    productionWeight: 0,
    eventIndex: 0,
  };
  ctx.codedeploy.deployments.set(deployment.deploymentId, deployment);
  recordDeploymentCreated(ctx, deployment);
  useRevision(ctx, deployment);
  ctx.kick();
  return deployment;
}
