/**
 * What deploy-ecs does once the service's deploy succeeded (status succeeded: the deployment completed, or the
 * service was already settled on the revision): move the scheduled tasks to the new revision, then clean up old
 * revisions. Scheduled tasks move only after the service proved the revision works, so a revision that fails its
 * rollout never reaches them; the clean-up runs last, so a revision the moves just left is not in use any more.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ClientFactory } from '../../common/aws';
import type { Logger } from '../../common/logger';
import { moveScheduledTasks, movedMarkdown, scheduledTaskClients } from '../../scheduled-tasks';
import { cleanUpMarkdown, cleanUpRevisions } from './keep-revisions';
import type { DeployOutputs, DeployRequest } from './request';

export interface AfterDeployPorts {
  log: Logger;
  writeSummary(markdown: string): Promise<void>;
}

export async function afterSuccessfulDeploy(
  request: DeployRequest,
  ecs: ECSClient,
  aws: ClientFactory | undefined,
  outputs: DeployOutputs,
  ports: AfterDeployPorts,
): Promise<void> {
  if (outputs.status !== 'succeeded') return;
  if (request.scheduledTasks?.length) {
    if (!aws) throw new Error('scheduled-tasks needs the clients factory (clients.aws) to change EventBridge and EventBridge Scheduler');
    const moved = await moveScheduledTasks(
      scheduledTaskClients(aws, request.region),
      request.scheduledTasks,
      outputs.taskDefinitionArn,
      ports.log,
    );
    const markdown = movedMarkdown(moved);
    if (markdown) await ports.writeSummary(markdown);
  }
  if (request.keepRevisions !== undefined) {
    if (!aws) throw new Error('keep-revisions needs the clients factory (clients.aws) to list EventBridge and EventBridge Scheduler');
    const revisions = { deployed: outputs.taskDefinitionArn, rollbackTarget: outputs.previousTaskDefinitionArn };
    const result = await cleanUpRevisions(ecs, aws, request.region, request.keepRevisions, revisions, ports.log);
    await ports.writeSummary(cleanUpMarkdown(result, request.keepRevisions));
  }
}
