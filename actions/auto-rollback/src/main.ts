import * as core from '@actions/core';
import { ECSClient, type Service } from '@aws-sdk/client-ecs';
import {
  ActionFailure,
  actionsLogger as log,
  assertRollingUpdateService,
  createClient,
  describeService,
  explainRollout,
  logRolloutEvidence,
  readDeploymentHistory,
  rolloutSummaryMarkdown,
  runAction,
  shortTaskDefinition,
  writeJobSummary,
  type DeploymentHistory,
  type WatchOutcome,
} from '@ecs-deploy/core';
import { readRollbackInputs, type RollbackInputs } from './inputs';
import { startRollback } from './mechanism';
import { secondsBetween, setRollbackOutputs } from './outputs';
import { headline, rollbackFailedByEcs, rollbackSummaryMarkdown, type RollbackStory } from './report';
import { checkRequestedRevision, chooseTarget, type RollbackTarget } from './target';
import { failedRollbackReport, watchRollback, type WatchedDeployment } from './watch-back';

const ACTION = 'auto-rollback';

async function rollBack(): Promise<void> {
  const inputs = readRollbackInputs();
  const ecs = createClient(ECSClient, { region: inputs.region, action: ACTION });

  // 1. Where the service stands and where it returns to; every check comes before any change.
  const service = await describeService(ecs, inputs.cluster, inputs.service, inputs.region);
  assertRollingUpdateService(service);
  const requestedArn = inputs.taskDefinition ? await checkRequestedRevision(ecs, inputs.taskDefinition, inputs.region) : undefined;
  const history = await readDeploymentHistory(ecs, inputs.cluster, service, log);
  const target = chooseTarget(requestedArn, history);
  log.info(`Reason: ${inputs.reason ?? '(no reason given)'}`);
  log.info(`Target: ${shortTaskDefinition(target.taskDefinitionArn)}, chosen by ${target.chosenBy}.`);
  if (familyOf(target.taskDefinitionArn) !== familyOf(service.taskDefinition)) {
    log.warning(`The target ${shortTaskDefinition(target.taskDefinitionArn)} is of another family than the service's ${shortTaskDefinition(service.taskDefinition)}; rolling back to it anyway, as asked.`);
  }
  setRollbackOutputs({ rolledBack: false, taskDefinitionArn: target.taskDefinitionArn, durationSeconds: 0 });

  // 2. ECS's circuit breaker (or a person) may already have put the target back.
  if (service.taskDefinition === target.taskDefinitionArn) {
    await confirmAlreadyThere(ecs, inputs, service, target, history);
    return;
  }

  // 3. Roll back, then watch it with deploy-ecs's watcher.
  const started = await startRollback(ecs, inputs, target.taskDefinitionArn, history, log);
  log.info(`${started.description}: deployment ${started.deploymentId} brings ${shortTaskDefinition(target.taskDefinitionArn)} back.`);
  const story: RollbackStory = {
    ...storyBasics(inputs, target, history),
    fromArn: service.taskDefinition,
    mechanism: started.description,
    verdict: 'started',
    startedAt: started.startedAt,
    finishedAt: started.startedAt,
  };
  if (!inputs.wait) {
    setRollbackOutputs({ rolledBack: true, taskDefinitionArn: target.taskDefinitionArn, durationSeconds: 0 });
    await announce(story);
    return;
  }
  const watched = { deploymentId: started.deploymentId, startedAt: started.startedAt, before: service };
  const outcome = await watchRollback(ecs, inputs, watched, log);

  // 4. Report: outputs, annotation, job summary; a failed rollback with deploy-ecs's diagnosis.
  story.outcome = outcome;
  story.finishedAt = outcome.finishedAt;
  story.verdict = outcome.status === 'succeeded' ? 'rolled-back' : 'failed';
  setRollbackOutputs({ rolledBack: story.verdict === 'rolled-back', taskDefinitionArn: target.taskDefinitionArn, durationSeconds: secondsBetween(started.startedAt, outcome.finishedAt) });
  if (story.verdict === 'failed') await failLoudly(ecs, inputs, story, watched);
  await announce(story);
}

/**
 * Nothing to change. If ECS is still rolling back on its own, watch it finish (unless wait is false): a rollback
 * that fails there leaves the service as broken as one of ours would.
 */
async function confirmAlreadyThere(ecs: ECSClient, inputs: RollbackInputs, service: Service, target: RollbackTarget, history: DeploymentHistory): Promise<void> {
  const startedAt = Date.now();
  const story: RollbackStory = {
    ...storyBasics(inputs, target, history),
    fromArn: history.current?.taskDefinitionArn ?? service.taskDefinition,
    verdict: 'already-there',
    startedAt,
    finishedAt: startedAt,
  };
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  // ECS's own rollback to the target already failed and ECS does not try again (ROLLBACK_FAILED): nothing is left
  // to watch, and nothing here would fare better.
  if (history.current?.status === 'ROLLBACK_FAILED') {
    await writeJobSummary(rollbackSummaryMarkdown({ ...story, verdict: 'failed' }));
    throw new ActionFailure(rollbackFailedByEcs(story));
  }
  if (inputs.wait && primary?.id && !(service.deployments?.length === 1 && primary.rolloutState === 'COMPLETED')) {
    log.info(`${shortTaskDefinition(target.taskDefinitionArn)} is already the service's revision; deployment ${primary.id} is still rolling it out: watching it.`);
    const watched = { deploymentId: primary.id, startedAt, before: service };
    const outcome = await watchRollback(ecs, inputs, watched, log);
    story.outcome = outcome;
    story.finishedAt = outcome.finishedAt;
    setRollbackOutputs({ rolledBack: false, taskDefinitionArn: target.taskDefinitionArn, durationSeconds: secondsBetween(startedAt, outcome.finishedAt) });
    if (outcome.status !== 'succeeded') await failLoudly(ecs, inputs, { ...story, verdict: 'failed' }, watched);
  }
  await announce(story);
}

/** The service is on neither revision it should be: say so loudly, with deploy-ecs's diagnosis and evidence. */
async function failLoudly(ecs: ECSClient, inputs: RollbackInputs, story: RollbackStory, watched: WatchedDeployment): Promise<never> {
  const outcome = story.outcome as WatchOutcome;
  const report = await failedRollbackReport(ecs, inputs, { ...watched, fromArn: story.fromArn, targetArn: story.targetArn, outcome }, log);
  await writeJobSummary(`${rollbackSummaryMarkdown(story)}\n\n${rolloutSummaryMarkdown(report)}`);
  logRolloutEvidence(report, log);
  throw new ActionFailure(`${headline(story)} ${explainRollout(report)}`);
}

function familyOf(arn: string | undefined): string | undefined {
  return arn ? shortTaskDefinition(arn).replace(/:\d+$/, '') : undefined;
}

function storyBasics(inputs: RollbackInputs, target: RollbackTarget, history: DeploymentHistory) {
  return {
    region: inputs.region,
    cluster: inputs.cluster,
    service: inputs.service,
    reason: inputs.reason,
    targetArn: target.taskDefinitionArn,
    chosenBy: target.chosenBy,
    release: history.current,
  };
}

/** One notice annotation and the job summary, for every ending but a failure. */
async function announce(story: RollbackStory): Promise<void> {
  const why = story.reason ? ` Reason: ${story.reason}.` : '';
  core.notice(`${headline(story)}${why}`);
  await writeJobSummary(rollbackSummaryMarkdown(story));
}

await runAction(rollBack);
