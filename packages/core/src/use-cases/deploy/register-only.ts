import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ClientFactory } from '../../common/aws';
import type { CancellationSignal } from '../../common/cancellation';
import { ActionFailure } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { heading, section } from '../../report/markdown';
import {
  fileFieldsCheck,
  fileRendersCheck,
  imagesExistCheck,
  logGroupsExistCheck,
  runPreflight,
  scheduledTasksCheck,
  secretsExistCheck,
  type PreflightCheck,
} from '../../preflight';
import { scheduledTaskClients } from '../../scheduled-tasks';
import type { LoadedDefinition } from '../../task-definition/load';
import { ensureRegistered } from '../../task-definition/register';
import { renderTaskDefinition } from '../../task-definition/render';
import { containerSecretValues } from '../../task-definition/secret-values';
import { githubRunTags } from '../../common/github-run-tags';
import { keptTagsNote, revisionTags } from '../../task-definition/revision-tags';
import { afterSuccess } from './after-deploy';
import { ACTION_TAG, type DeployResult } from './deploy-service';
import type { DeployOutputs, RegisterOnlyRequest } from './request';

export interface RegisterOnlyPorts {
  log: Logger;
  clock: Clock;
  setSecret(value: string): void;
  writeSummary(markdown: string): Promise<void>;
  setOutputs(outputs: DeployOutputs): void;
  signal?: CancellationSignal;
  /** The run's environment: the revision's repository, commit and run tags. */
  env?: NodeJS.ProcessEnv;
}

/**
 * deploy-ecs without a service (a scheduled or one-off task's revision): the file's checks (it renders, its fields,
 * its images, log groups and secrets, and the scheduled tasks run its family), then the revision registered, or an
 * identical newest one of the family reused; then, when asked, the scheduled tasks moved to it and old revisions
 * cleaned up, as after a service deploy. No service is changed: task-definition-arn is the one output, status
 * registered-only.
 */
export async function registerTaskDefinitionOnly(
  request: RegisterOnlyRequest,
  clients: { ecs: ECSClient; aws?: ClientFactory },
  ports: RegisterOnlyPorts,
): Promise<DeployResult> {
  const { ecs, aws } = clients;
  const { log, clock } = ports;
  const path = request.taskDefinitionFile;
  const file = fileRendersCheck({ path, changes: request });
  // Without a service there is no setting input a file's service fields could go to: every one is reported.
  const fields = (loaded: LoadedDefinition) => fileFieldsCheck({ path, loaded, settingInputs: {} });
  const lookups = (loaded: LoadedDefinition): PreflightCheck<unknown>[] => {
    if (!aws) return [];
    const definition = renderTaskDefinition(loaded.definition, request);
    const input = request.images?.length && !request.image ? 'images' : request.image ? 'image' : 'task-definition';
    return [
      imagesExistCheck({ definition, aws, input }),
      logGroupsExistCheck({ definition, aws, region: request.region }),
      secretsExistCheck({ definition, aws, region: request.region }),
    ];
  };
  // scheduled-tasks: each rule and schedule exists and runs the file's family, before anything is registered.
  const scheduled = (loaded: LoadedDefinition): PreflightCheck<unknown>[] => {
    if (!request.scheduledTasks?.length) return [];
    if (!aws) throw new Error('scheduled-tasks needs the clients factory (clients.aws) to read EventBridge and EventBridge Scheduler');
    const family = loaded.definition.family;
    return family
      ? [
          scheduledTasksCheck({
            clients: scheduledTaskClients(aws, request.region),
            references: request.scheduledTasks,
            family,
            doing: 'registers',
          }),
        ]
      : [];
  };
  const report = await runPreflight([file], {
    log,
    mode: request.preflight,
    writeSummary: ports.writeSummary,
    then: [
      (valueOf) => {
        const loaded = valueOf(file);
        return loaded ? [fields(loaded), ...lookups(loaded), ...scheduled(loaded)] : [];
      },
    ],
  });
  const loaded = report.valueOf(file) as LoadedDefinition;
  const rendered = renderTaskDefinition(loaded.definition, request);
  for (const value of containerSecretValues(rendered.containerDefinitions)) ports.setSecret(value);
  if (ports.signal?.aborted)
    throw new ActionFailure('The workflow was cancelled before the task definition was registered; nothing was registered.');

  const tags = revisionTags(loaded.tags, githubRunTags(ACTION_TAG, ports.env), request.tags ?? []);
  const registration = await ensureRegistered(ecs, rendered, tags, undefined, { log, clock, signal: ports.signal });
  const name = shortTaskDefinition(registration.arn);
  const done =
    registration.kind === 'registered'
      ? `Registered ${name}`
      : `Reusing identical revision ${name} (the family's newest); no revision registered`;
  const message = `${done}. No service was given: no service was updated (task-definition-arn is for a scheduled or one-off task).`;
  log.info(message);
  if (registration.kind === 'reused') log.info(keptTagsNote(registration.tags, tags));
  const outputs: DeployOutputs = { taskDefinitionArn: registration.arn, previousTaskDefinitionArn: '', status: 'registered-only' };
  ports.setOutputs(outputs);
  await ports.writeSummary(section(heading(`📝 Register ${rendered.family}: ${name}`), message, report.markdown));
  const revisions = { deployed: registration.arn, rollbackTarget: '' };
  const context = { done: 'The revision was registered', outcome: 'The registration itself succeeded', revisions };
  await afterSuccess(request, ecs, aws, context, ports);
  return { outputs };
}
