import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import {
  ActionFailure,
  actionsLogger as log,
  awslogsLocation,
  createClient,
  describeService,
  formatCommand,
  loadTaskDefinitionFile,
  oneOffPlacement,
  runAction,
  shortTaskDefinition,
  taskId,
  taskLink,
  writeJobSummary,
  type LogLocation,
} from '@ecs-deploy/core';
import { abortOnCancel } from './cancellation';
import { refuseConcurrent, runningMigrations } from './concurrency';
import { planDefinition, revisionToRun, sourceDefinition } from './definition';
import { followTask } from './follow';
import { readMigrationInputs, type MigrationInputs } from './inputs';
import { setMigrationOutputs } from './outputs';
import { exitCodeOf, explainMigration, migrationSummaryMarkdown, succeeded, TAIL_LINES, type MigrationFacts } from './report';
import { startMigrationTask } from './run-task';
import { auditTags, startedByFor } from './started-by';

const ACTION = 'run-migration';

async function runMigration(): Promise<void> {
  const inputs = readMigrationInputs();
  const cancellation = abortOnCancel();
  const fromFile = inputs.definition.kind === 'file' ? await loadTaskDefinitionFile(inputs.definition.path) : undefined;
  const ecs = createClient(ECSClient, { region: inputs.region, action: ACTION });

  // 1. What to run and where: the task definition, the container, the service's network. Nothing changes yet.
  const service = inputs.service ? await describeService(ecs, inputs.cluster, inputs.service, inputs.region) : undefined;
  const plan = planDefinition(await sourceDefinition(ecs, inputs, service, fromFile), inputs);
  const placement = oneOffPlacement(plan.rendered, service, inputs);
  const family = plan.rendered.family as string;
  if (!inputs.allowConcurrent) refuseConcurrent(await runningMigrations(ecs, inputs.cluster, family), family, inputs.cluster);

  // 2. The revision carrying the image (RunTask cannot override images), then the task.
  const revision = await revisionToRun(ecs, plan);
  log.info(`Task definition ${shortTaskDefinition(revision.arn)} (${revision.message}).`);
  setMigrationOutputs({ taskDefinitionArn: revision.arn });
  const command = inputs.command ?? plan.container.command;
  if (cancellation.aborted) throw new ActionFailure('The workflow was cancelled before the migration task started; nothing was started.');
  const startedAt = Date.now();
  const started = await startMigrationTask(ecs, {
    cluster: inputs.cluster,
    taskDefinitionArn: revision.arn,
    placement,
    container: plan.container.name as string,
    command: inputs.command,
    environment: inputs.environment,
    startedBy: startedByFor(),
    tags: auditTags(),
  });
  const taskArn = started.taskArn as string;
  setMigrationOutputs({ taskArn });
  log.info(`Started task ${taskId(taskArn)} in cluster ${inputs.cluster}${command ? `: ${formatCommand(command)}` : ''}`);
  log.info(`Console: ${taskLink(inputs.region, inputs.cluster, taskArn)}`);

  // 3. Stream its log into the job log until it stops (or the timeout, or a cancellation).
  const logLocation = awslogsLocation(plan.container, taskArn);
  if (!logLocation) log.warning(`Container "${plan.container.name}" has no awslogs configuration with a stream prefix: its output cannot be shown here.`);
  const logs = createClient(CloudWatchLogsClient, { region: inputs.region, action: ACTION });
  const outcome = await followTask({ cluster: inputs.cluster, taskArn, logLocation, timeoutMs: inputs.timeoutMs, signal: cancellation }, { ecs, logs, log });

  // 4. The verdict: outputs, job summary, and on failure the cause with the last log lines.
  const task = outcome.task ?? started;
  const status = outcome.state === 'stopped' ? (succeeded(task, plan.rendered.containerDefinitions ?? []) ? 'succeeded' : 'failed') : outcome.state;
  const facts: MigrationFacts = {
    region: inputs.region,
    cluster: inputs.cluster,
    task,
    taskDefinitionArn: revision.arn,
    container: plan.container.name as string,
    containers: plan.rendered.containerDefinitions ?? [],
    command,
    startedAt: taskStart(task, startedAt),
    finishedAt: task.stoppedAt ? new Date(task.stoppedAt).getTime() : Date.now(),
    timeoutMs: inputs.timeoutMs,
    status,
    lines: outcome.lines,
    logLocation,
  };
  setMigrationOutputs({ exitCode: exitCodeOf(task, facts.container) });
  await writeJobSummary(migrationSummaryMarkdown(facts));
  if (status === 'cancelled') await reportCancellation(ecs, inputs, taskArn, logLocation);
  if (status !== 'succeeded') {
    logTail(facts);
    throw new ActionFailure(explainMigration(facts));
  }
  log.info(`✅ ${explainMigration(facts)}`);
}

/** A cancelled workflow must not kill a migration silently, nor leave it running unmentioned. */
async function reportCancellation(ecs: ECSClient, inputs: MigrationInputs, taskArn: string, logLocation: LogLocation | undefined): Promise<void> {
  if (inputs.stopOnCancel) {
    await ecs.send(new StopTaskCommand({ cluster: inputs.cluster, task: taskArn, reason: 'run-migration: the workflow was cancelled (stop-on-cancel)' }));
    throw new ActionFailure(`The workflow was cancelled; stop-on-cancel is true, so migration task ${taskId(taskArn)} was stopped (StopTask). Check the state of the schema before running it again.`);
  }
  const follow = logLocation ? ` Follow its log with: aws logs tail ${logLocation.group} --log-stream-names ${logLocation.stream} --follow --region ${inputs.region}.` : '';
  throw new ActionFailure(
    `The workflow was cancelled, but migration task ${taskId(taskArn)} is still running in cluster ${inputs.cluster}: it was not stopped, since stopping a migration half-way can leave the schema half-changed (set stop-on-cancel: true to stop it). ` +
      `Watch it with: aws ecs describe-tasks --cluster ${inputs.cluster} --tasks ${taskArn} --region ${inputs.region}.${follow} Console: ${taskLink(inputs.region, inputs.cluster, taskArn)}`,
  );
}

function logTail(facts: MigrationFacts): void {
  log.info(`❌ ${explainMigration(facts)}`);
  const tail = facts.lines.slice(-TAIL_LINES);
  if (tail.length === 0) return;
  log.info(`Last log lines of container "${facts.container}"${facts.logLocation ? ` (log group ${facts.logLocation.group}, stream ${facts.logLocation.stream})` : ''}:`);
  for (const line of tail) log.info(`  | ${line}`);
}

function taskStart(task: Task, fallback: number): number {
  return task.createdAt ? new Date(task.createdAt).getTime() : fallback;
}

await runAction(runMigration);
