/**
 * What deploy-ecs does once the revision is proven or, without a service, registered: move the scheduled tasks to
 * it, then clean up old revisions. With a service that is once its deploy succeeded (status succeeded: the
 * deployment completed, or the service was already settled on the revision), so a revision that fails its rollout
 * never reaches the scheduled tasks. Without one it is right after the registration, which is synchronous: the
 * revision is ACTIVE when RegisterTaskDefinition answers, and there is no rollout to wait for. The clean-up runs
 * last, so a revision the moves just left is not in use any more.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ClientFactory } from '../../common/aws';
import type { Logger } from '../../common/logger';
import { moveScheduledTasks, movedMarkdown, scheduledTaskClients, type ScheduledTaskReference } from '../../scheduled-tasks';
import { cleanUpMarkdown, cleanUpRevisions } from './keep-revisions';
import type { DeployOutputs, DeployRequest } from './request';

export interface AfterDeployPorts {
  log: Logger;
  writeSummary(markdown: string): Promise<void>;
}

/** The inputs the steps after success read: a service deploy's and a register-only step's alike. */
export interface AfterSuccessSettings {
  region: string;
  scheduledTasks?: ScheduledTaskReference[];
  keepRevisions?: number;
}

/** What the step did before these steps, for their messages. */
export interface AfterSuccessContext {
  /** `The service was deployed`, `The revision was registered`: what a failed move leaves done. */
  done: string;
  /** `The deploy itself succeeded`: what a failed clean-up does not change. */
  outcome: string;
  /** The revision the step ends on, and the one a rollback would return to ('' when none: register-only). */
  revisions: { deployed: string; rollbackTarget: string };
}

export async function afterSuccessfulDeploy(
  request: DeployRequest,
  ecs: ECSClient,
  aws: ClientFactory | undefined,
  outputs: DeployOutputs,
  ports: AfterDeployPorts,
): Promise<void> {
  if (outputs.status !== 'succeeded') return;
  const revisions = { deployed: outputs.taskDefinitionArn, rollbackTarget: outputs.previousTaskDefinitionArn };
  await afterSuccess(request, ecs, aws, { done: 'The service was deployed', outcome: 'The deploy itself succeeded', revisions }, ports);
}

/** Moves the scheduled tasks, then cleans up old revisions, as the settings ask. */
export async function afterSuccess(
  settings: AfterSuccessSettings,
  ecs: ECSClient,
  aws: ClientFactory | undefined,
  context: AfterSuccessContext,
  ports: AfterDeployPorts,
): Promise<void> {
  const { deployed } = context.revisions;
  if (settings.scheduledTasks?.length) {
    if (!aws) throw new Error('scheduled-tasks needs the clients factory (clients.aws) to change EventBridge and EventBridge Scheduler');
    const moved = await moveScheduledTasks(
      scheduledTaskClients(aws, settings.region),
      settings.scheduledTasks,
      deployed,
      ports.log,
      context.done,
    );
    const markdown = movedMarkdown(moved);
    if (markdown) await ports.writeSummary(markdown);
  }
  if (settings.keepRevisions !== undefined) {
    if (!aws) throw new Error('keep-revisions needs the clients factory (clients.aws) to list EventBridge and EventBridge Scheduler');
    const result = await cleanUpRevisions(ecs, aws, settings.region, settings.keepRevisions, context.revisions, ports.log, context.outcome);
    await ports.writeSummary(cleanUpMarkdown(result, settings.keepRevisions, context.outcome));
  }
}
