import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  ActionFailure,
  formatCommand,
  secretValues,
  shortTaskDefinition,
  taskId,
  type Clock,
  type Logger,
  type CancellationSignal,
  type ClientFactory,
} from '../../common';
import { containerSecretValues, loadTaskDefinitionFile } from '../../task-definition';
import { awslogsLocation } from '../../logs';
import { section } from '../../report';
import { describeService, taskLink } from '../../ecs';
import { answerCancellation } from './cancellation';
import { revisionToRun } from './definition';
import { followTask } from './follow';
import { exitCodeOf, explainMigration, logMigrationEvidence, migrationSummaryMarkdown, type MigrationFacts } from './report';
import { migrationPreflight } from './preflight';
import type { MigrationRequest } from './request';
import { startMigrationTask } from './run-task';
import { auditTags, startedByFor } from './started-by';
import { judgeMigration } from './verdict';

export interface MigrationClients {
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  /** Clients in the regions the revision's images and log groups live in, for their pre-flight checks (left out without it). */
  aws?: ClientFactory;
}

export interface MigrationOutputs {
  taskDefinitionArn?: string;
  taskArn?: string;
  exitCode?: number;
}

/** What is platform-specific: the runner's log, masking, job summary and outputs, and its cancellation. */
export interface MigrationPorts {
  log: Logger;
  clock: Clock;
  /** Keeps a value out of the job log. */
  setSecret(value: string): void;
  writeSummary(markdown: string): Promise<void>;
  /** Called as soon as each output is known, so a later step sees the task even when this run fails. */
  setOutputs(outputs: MigrationOutputs): void;
  /** Aborted when the workflow is cancelled. */
  signal?: CancellationSignal;
  /** The run's environment (GITHUB_RUN_ID, GITHUB_REPOSITORY, ...): the task's startedBy and audit tags. */
  env?: NodeJS.ProcessEnv;
}

export interface MigrationResult {
  taskDefinitionArn: string;
  taskArn: string;
  exitCode?: number;
  /** The verdict in one paragraph. */
  explanation: string;
}

/**
 * Runs the migration as a one-off task and follows it to its end. Returns when the migration container exited 0;
 * throws ActionFailure, after the summary is written, on any other ending (failure, timeout, cancellation).
 */
export async function runMigration(request: MigrationRequest, clients: MigrationClients, ports: MigrationPorts): Promise<MigrationResult> {
  const { ecs, logs } = clients;
  const { log, clock } = ports;
  for (const value of secretValues(request.environment)) ports.setSecret(value);
  const fromFile = request.definition.kind === 'file' ? await loadTaskDefinitionFile(request.definition.path) : undefined;

  // 1. What to run and where: the task definition, the container, the service's network, checked in one
  // pre-flight table with the family's running migrations. Nothing changes yet.
  const service = request.service ? await describeService(ecs, request.cluster, request.service, request.region) : undefined;
  const { plan, placement, markdown: preflight } = await migrationPreflight(ecs, request, service, fromFile, ports, clients.aws);
  // The revision run may carry credentials the inputs never named (the service's DATABASE_URL): its output must show ***.
  for (const value of containerSecretValues(plan.rendered.containerDefinitions)) ports.setSecret(value);

  // 2. The revision carrying the image (RunTask cannot override images), then the task.
  const runTags = auditTags(ports.env);
  const revision = await revisionToRun(ecs, plan, { run: runTags, given: request.tags ?? [] }, { log, clock, signal: ports.signal });
  log.info(`Task definition ${shortTaskDefinition(revision.arn)} (${revision.message}).`);
  if (revision.keptTags) log.info(revision.keptTags);
  ports.setOutputs({ taskDefinitionArn: revision.arn });
  const command = request.command ?? plan.container.command;
  if (ports.signal?.aborted) throw new ActionFailure('The workflow was cancelled before the migration task started; nothing was started.');
  const startedAt = clock.now();
  const started = await startMigrationTask(
    ecs,
    {
      cluster: request.cluster,
      taskDefinitionArn: revision.arn,
      placement,
      container: plan.container.name as string,
      command: request.command,
      environment: request.environment,
      startedBy: startedByFor(ports.env),
      tags: [...runTags, ...(request.tags ?? [])],
      ...(request.overrides && Object.keys(request.overrides).length ? { task: request.overrides } : {}),
    },
    { log, clock, signal: ports.signal },
  );
  const taskArn = started.taskArn as string;
  ports.setOutputs({ taskArn });
  log.info(`Started task ${taskId(taskArn)} in cluster ${request.cluster}${command ? `: ${formatCommand(command)}` : ''}`);
  const consoleUrl = taskLink(request.region, request.cluster, taskArn);
  if (consoleUrl) log.info(`Console: ${consoleUrl}`);

  // 3. Stream its log into the job log until it stops (or the timeout, or a cancellation).
  const logLocation = awslogsLocation(plan.container, taskArn);
  if (!logLocation)
    log.warning(`Container "${plan.container.name}" has no awslogs configuration with a stream prefix: its output cannot be shown here.`);
  const outcome = await followTask(
    { cluster: request.cluster, taskArn, logLocation, timeoutMs: request.timeoutMs, signal: ports.signal },
    { ecs, logs, log, clock },
  );

  // 4. The verdict: outputs, job summary, and on failure the cause with the last log lines.
  const task = outcome.task ?? started;
  // The migration container decides; the others' exits are information (see verdict.ts).
  const migrated = judgeMigration(task, plan.rendered.containerDefinitions ?? [], plan.container.name as string).succeeded;
  const status = outcome.state === 'stopped' ? (migrated ? 'succeeded' : 'failed') : outcome.state;
  const facts: MigrationFacts = {
    region: request.region,
    cluster: request.cluster,
    task,
    taskDefinitionArn: revision.arn,
    container: plan.container.name as string,
    containers: plan.rendered.containerDefinitions ?? [],
    command,
    startedAt: task.createdAt ? new Date(task.createdAt).getTime() : startedAt,
    finishedAt: task.stoppedAt ? new Date(task.stoppedAt).getTime() : clock.now(),
    timeoutMs: request.timeoutMs,
    status,
    lines: outcome.lines,
    logLocation,
  };
  const exitCode = exitCodeOf(task, facts.container);
  ports.setOutputs({ exitCode });
  await ports.writeSummary(section(migrationSummaryMarkdown(facts), preflight));
  if (status === 'cancelled') await answerCancellation(ecs, request, taskArn, logLocation, { log, clock });
  if (status !== 'succeeded') {
    logMigrationEvidence(facts, log);
    throw new ActionFailure(explainMigration(facts));
  }
  const explanation = explainMigration(facts);
  log.info(`✅ ${explanation}`);
  return { taskDefinitionArn: revision.arn, taskArn, exitCode, explanation };
}
