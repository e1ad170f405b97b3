import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ActionFailure, createClient, formatCommand, shortTaskDefinition, taskId } from '@ecs-deploy/core/common';
import { loadTaskDefinitionFile } from '@ecs-deploy/core/task-definition';
import { awslogsLocation } from '@ecs-deploy/core/logs';
import { describeService, oneOffPlacement, taskLink } from '@ecs-deploy/core/ecs';
import { actionsLogger as log, maskSecretValues, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { abortOnCancel, answerCancellation } from './cancellation';
import { refuseConcurrent, runningMigrations } from './concurrency';
import { planDefinition, revisionToRun, sourceDefinition } from './definition';
import { followTask } from './follow';
import { readMigrationInputs } from './inputs';
import { setMigrationOutputs } from './outputs';
import { exitCodeOf, explainMigration, logMigrationEvidence, migrationSummaryMarkdown, type MigrationFacts } from './report';
import { startMigrationTask } from './run-task';
import { auditTags, startedByFor } from './started-by';
import { judgeMigration } from './verdict';

const ACTION = 'run-migration';

async function runMigration(): Promise<void> {
  const inputs = readMigrationInputs();
  maskSecretValues(inputs.environment);
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
  // The migration container decides; the others' exits are information (see verdict.ts).
  const migrated = judgeMigration(task, plan.rendered.containerDefinitions ?? [], plan.container.name as string).succeeded;
  const status = outcome.state === 'stopped' ? (migrated ? 'succeeded' : 'failed') : outcome.state;
  const facts: MigrationFacts = {
    region: inputs.region,
    cluster: inputs.cluster,
    task,
    taskDefinitionArn: revision.arn,
    container: plan.container.name as string,
    containers: plan.rendered.containerDefinitions ?? [],
    command,
    startedAt: task.createdAt ? new Date(task.createdAt).getTime() : startedAt,
    finishedAt: task.stoppedAt ? new Date(task.stoppedAt).getTime() : Date.now(),
    timeoutMs: inputs.timeoutMs,
    status,
    lines: outcome.lines,
    logLocation,
  };
  setMigrationOutputs({ exitCode: exitCodeOf(task, facts.container) });
  await writeJobSummary(migrationSummaryMarkdown(facts));
  if (status === 'cancelled') await answerCancellation(ecs, inputs, taskArn, logLocation);
  if (status !== 'succeeded') {
    logMigrationEvidence(facts, log);
    throw new ActionFailure(explainMigration(facts));
  }
  log.info(`✅ ${explainMigration(facts)}`);
}

await runAction(runMigration);
