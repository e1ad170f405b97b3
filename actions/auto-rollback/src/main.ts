import * as core from '@actions/core';
import { ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ActionFailure, createClient, shortTaskDefinition, systemClock } from '@ecs-deploy/core/common';
import {
  describeService,
  explainRollout,
  logRolloutEvidence,
  primaryDeployment,
  readDeploymentHistory,
  rolloutSummaryMarkdown,
  type DeploymentHistory,
  type WatchOutcome,
} from '@ecs-deploy/core/ecs';
import { mechanismFor, type DeploymentMechanism } from '@ecs-deploy/core/deployment';
import {
  actionsLogger as log,
  openDeploymentTrail,
  reportingErrors,
  runAction,
  writeJobSummary,
  type DeploymentTrail,
} from '@ecs-deploy/core/platform';
import { recordRollback } from './audit-trail';
import { readRollbackInputs, type RollbackInputs } from './inputs';
import { secondsBetween, setRollbackOutputs } from './outputs';
import { headline, rollbackFailedByEcs, rollbackSummaryMarkdown, type RollbackStory } from './report';
import { checkRequestedRevision, chooseTarget, type RollbackTarget } from './target';
import { failedRollbackReport, watchRollback, type WatchedDeployment } from './watch-back';

const ACTION = 'auto-rollback';

async function rollBack(): Promise<void> {
  const inputs = readRollbackInputs();
  const trail = openDeploymentTrail(inputs.auditTrail, log);
  const ecs = createClient(ECSClient, { region: inputs.region, action: ACTION });

  // 1. Where the service stands and where it returns to; every check comes before any change.
  const service = await describeService(ecs, inputs.cluster, inputs.service, inputs.region);
  const mechanism = mechanismFor(service);
  const requestedArn = inputs.taskDefinition ? await checkRequestedRevision(ecs, inputs.taskDefinition, inputs.region) : undefined;
  const history = await readDeploymentHistory(ecs, inputs.cluster, service, log);
  const target = chooseTarget(requestedArn, history);
  log.info(`Reason: ${inputs.reason ?? '(no reason given)'}`);
  log.info(`Target: ${shortTaskDefinition(target.taskDefinitionArn)}, chosen by ${target.chosenBy}.`);
  if (familyOf(target.taskDefinitionArn) !== familyOf(service.taskDefinition)) {
    log.warning(`The target ${shortTaskDefinition(target.taskDefinitionArn)} is of another family than the service's ${shortTaskDefinition(service.taskDefinition)}; rolling back to it anyway, as asked.`);
  }
  setRollbackOutputs({ rolledBack: false, taskDefinitionArn: target.taskDefinitionArn, durationSeconds: 0 });

  const alreadyThere = service.taskDefinition === target.taskDefinitionArn;
  // Already there: the release is the current deployment's target (after ECS's own rollback, not where it left the service).
  const fromArn = alreadyThere ? (history.current?.targetTaskDefinitionArn ?? history.current?.taskDefinitionArn ?? service.taskDefinition) : service.taskDefinition;

  // 2. The audit trail, before any change: the failed release is marked rolled back, the rollback recorded.
  await recordRollback(trail, inputs, fromArn, target.taskDefinitionArn);

  // 3. ECS's circuit breaker (or a person) may already have put the target back.
  if (alreadyThere) {
    await confirmAlreadyThere(ecs, mechanism, inputs, { service, target, history, fromArn }, trail);
    return;
  }

  // 4. Roll back, then watch it with deploy-ecs's watcher.
  const started = await reportingErrors(trail, () =>
    mechanism.rollBack({ ...inputs, targetArn: target.taskDefinitionArn, history }, { ecs, log, clock: systemClock }),
  );
  log.info(`${started.description}: deployment ${started.deploymentId} brings ${shortTaskDefinition(target.taskDefinitionArn)} back.`);
  const story: RollbackStory = {
    ...storyBasics(inputs, target, history),
    fromArn,
    mechanism: started.description,
    verdict: 'started',
    startedAt: started.startedAt,
    finishedAt: started.startedAt,
  };
  if (!inputs.wait) {
    setRollbackOutputs({ rolledBack: true, taskDefinitionArn: target.taskDefinitionArn, durationSeconds: 0 });
    await announce(story, trail);
    return;
  }
  const watched = { deploymentId: started.deploymentId, startedAt: started.startedAt, before: service, stoppedBefore: started.stoppedBefore };
  const outcome = await reportingErrors(trail, () => watchRollback(mechanism, ecs, inputs, watched, log));

  // 5. Report: outputs, annotation, job summary; a failed rollback with deploy-ecs's diagnosis.
  story.outcome = outcome;
  story.finishedAt = outcome.finishedAt;
  story.verdict = outcome.status === 'succeeded' ? 'rolled-back' : 'failed';
  setRollbackOutputs({ rolledBack: story.verdict === 'rolled-back', taskDefinitionArn: target.taskDefinitionArn, durationSeconds: secondsBetween(started.startedAt, outcome.finishedAt) });
  if (story.verdict === 'failed') await failLoudly(ecs, inputs, story, watched, trail);
  await announce(story, trail);
}

interface Standing {
  service: Service;
  target: RollbackTarget;
  history: DeploymentHistory;
  /** The release being rolled back. */
  fromArn: string | undefined;
}

/**
 * Nothing to change. If ECS is still rolling back on its own, watch it finish (unless wait is false): a rollback
 * that fails there leaves the service as broken as one of ours would.
 */
async function confirmAlreadyThere(ecs: ECSClient, mechanism: DeploymentMechanism, inputs: RollbackInputs, { service, target, history, fromArn }: Standing, trail: DeploymentTrail | undefined): Promise<void> {
  const startedAt = Date.now();
  const story: RollbackStory = {
    ...storyBasics(inputs, target, history),
    fromArn,
    verdict: 'already-there',
    startedAt,
    finishedAt: startedAt,
  };
  const primary = primaryDeployment(service);
  // ECS's own rollback to the target already failed and ECS does not try again (ROLLBACK_FAILED): nothing is left
  // to watch, and nothing here would fare better.
  if (history.current?.status === 'ROLLBACK_FAILED') {
    await writeJobSummary(rollbackSummaryMarkdown({ ...story, verdict: 'failed' }));
    throw new ActionFailure(rollbackFailedByEcs(story));
  }
  if (inputs.wait && primary?.id && !(service.deployments?.length === 1 && primary.rolloutState === 'COMPLETED')) {
    log.info(`${shortTaskDefinition(target.taskDefinitionArn)} is already the service's revision; deployment ${primary.id} is still rolling it out: watching it.`);
    const watched = { deploymentId: primary.id, startedAt, before: service };
    const outcome = await reportingErrors(trail, () => watchRollback(mechanism, ecs, inputs, watched, log));
    story.outcome = outcome;
    story.finishedAt = outcome.finishedAt;
    setRollbackOutputs({ rolledBack: false, taskDefinitionArn: target.taskDefinitionArn, durationSeconds: secondsBetween(startedAt, outcome.finishedAt) });
    if (outcome.status !== 'succeeded') await failLoudly(ecs, inputs, { ...story, verdict: 'failed' }, watched, trail);
  }
  await announce(story, trail);
}

/** The service is on neither revision it should be: say so loudly, with deploy-ecs's diagnosis and evidence. */
async function failLoudly(ecs: ECSClient, inputs: RollbackInputs, story: RollbackStory, watched: WatchedDeployment, trail: DeploymentTrail | undefined): Promise<never> {
  const outcome = story.outcome as WatchOutcome;
  const report = await failedRollbackReport(ecs, inputs, { ...watched, fromArn: story.fromArn, targetArn: story.targetArn, outcome }, log);
  await writeJobSummary(`${rollbackSummaryMarkdown(story)}\n\n${rolloutSummaryMarkdown(report)}`);
  const verdict = `${headline(story)} ${explainRollout(report)}`;
  await trail?.report('failure', verdict);
  logRolloutEvidence(report, log);
  throw new ActionFailure(verdict);
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

/**
 * One notice annotation, the job summary and the rollback Deployment's success, for every ending but a failure.
 * (With wait false the Deployment stays in progress: nobody watched the rollback finish.)
 */
async function announce(story: RollbackStory, trail: DeploymentTrail | undefined): Promise<void> {
  const why = story.reason ? ` Reason: ${story.reason}.` : '';
  core.notice(`${headline(story)}${why}`);
  await writeJobSummary(rollbackSummaryMarkdown(story));
  if (story.verdict !== 'started') await trail?.report('success', headline(story));
}

await runAction(rollBack);
