import { RunTaskCommand, type ContainerOverride, type ECSClient, type RunTaskCommandInput, type Tag, type Task } from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { ActionFailure, retryTransient, type KeyValue, type RetryContext } from '../../common';
import { type TaskOverrides, type TaskPlacement } from '../../ecs';

export interface MigrationTaskRequest {
  cluster: string;
  taskDefinitionArn: string;
  placement: TaskPlacement;
  container: string;
  command?: string[];
  environment: KeyValue[];
  startedBy: string;
  tags: Tag[];
  /** Task-level overrides: cpu, memory, taskRoleArn. */
  task?: TaskOverrides;
}

/** The RunTask request: one task, the command and environment overridden on the migration's container only. */
export function runTaskInput(request: MigrationTaskRequest): RunTaskCommandInput {
  const override: ContainerOverride = { name: request.container };
  if (request.command) override.command = request.command;
  if (request.environment.length) override.environment = request.environment.map(({ name, value }) => ({ name, value }));
  const overridden = override.command !== undefined || override.environment !== undefined;
  const task = request.task ?? {};
  const overrides = { ...(overridden ? { containerOverrides: [override] } : {}), ...task };
  return {
    cluster: request.cluster,
    taskDefinition: request.taskDefinitionArn,
    count: 1,
    startedBy: request.startedBy,
    ...request.placement,
    overrides: Object.keys(overrides).length ? overrides : undefined,
    tags: request.tags.length ? request.tags : undefined,
  };
}

/** How a RunTask that failed transiently is tried again: a few times, the first retry after about 2 s. */
export const RUN_TASK_ATTEMPTS = 4;
const RUN_TASK_RETRY_BASE_MS = 2_000;

export interface StartOptions extends RetryContext {
  /** RunTask's idempotency token (up to 64 characters); one is made when none is given. */
  clientToken?: string;
}

/**
 * Starts the migration task. A throttled or failed RunTask is tried again (retryTransient, each retry logged) with
 * the same clientToken: when the first call started the task but its answer was lost, ECS answers the retry with
 * that task instead of starting a second migration (Ensuring idempotency, ECS API reference).
 */
export async function startMigrationTask(ecs: ECSClient, request: MigrationTaskRequest, options: StartOptions): Promise<Task> {
  const { clientToken, ...retry } = options;
  const input = { ...runTaskInput(request), clientToken: clientToken ?? randomUUID() };
  let answer;
  try {
    answer = await retryTransient(() => ecs.send(new RunTaskCommand(input)), {
      attempts: RUN_TASK_ATTEMPTS,
      baseDelayMs: RUN_TASK_RETRY_BASE_MS,
      label: 'RunTask of the migration task',
      ...retry,
    });
  } catch (error) {
    // ECS refuses placements it cannot honour (a launch type the definition is not compatible with, a
    // subnet of another VPC) with these; the message is ECS's own and names what to change.
    if (
      /InvalidParameterException|ClientException|PlatformUnknownException|PlatformTaskDefinitionIncompatibilityException/.test(
        (error as Error).name,
      )
    ) {
      throw new ActionFailure(
        `ECS refused to run the migration task (${(error as Error).name}): ${(error as Error).message} Nothing is running.`,
      );
    }
    throw error;
  }
  const task = answer.tasks?.[0];
  if (!task?.taskArn) {
    const why = (answer.failures ?? []).map((failure) => `${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}`).join('; ');
    throw new ActionFailure(`ECS did not start the migration task: ${why || 'RunTask returned no task'}. Nothing is running.`);
  }
  return task;
}
