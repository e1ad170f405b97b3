import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ActionFailure, createClient, shortTaskDefinition, systemClock } from '@ecs-deploy/core/common';
import { heading, section } from '@ecs-deploy/core/report';
import {
  describeChanges,
  describeTaskDefinition,
  ensureRegistered,
  loadTaskDefinitionFile,
  renderTaskDefinition,
  stripTaskDefinition,
  type LoadedDefinition,
} from '@ecs-deploy/core/task-definition';
import {
  describeService,
  explainRollout,
  failedBeforeMessage,
  gatherLogTail,
  inProgressMessage,
  judgeUnchangedService,
  logRolloutEvidence,
  rolloutSummaryMarkdown,
  settledMessage,
  startedBeforeNote,
  type RolloutReport,
} from '@ecs-deploy/core/ecs';
import { mechanismFor, type StartedDeployment } from '@ecs-deploy/core/deployment';
import { actionsLogger as log, openDeploymentTrail, reportingErrors, runAction, writeJobSummary } from '@ecs-deploy/core/platform';
import { liveAsBase, liveTaskDefinitionArn, servingRevisionArn } from './base-definition';
import { readDeployInputs, type DeployInputs } from './inputs';
import { deploymentState, shippedDescription, shippedPayload } from './audit-trail';
import { setDeployOutputs } from './outputs';
import { applyDesiredCount } from './update-service';

const ACTION = 'deploy-ecs';

async function deploy(): Promise<void> {
  const inputs = readDeployInputs();
  const trail = openDeploymentTrail(inputs.auditTrail, log);
  const ecs = createClient(ECSClient, { region: inputs.region, action: ACTION });

  // 1. What runs now, what was serving, and what the service should run.
  const fromFile = inputs.taskDefinitionFile ? await checkFileEarly(inputs) : undefined;
  const service = await describeService(ecs, inputs.cluster, inputs.service, inputs.region);
  const mechanism = mechanismFor(service);
  const context = { ecs, log, clock: systemClock };
  const liveArn = liveTaskDefinitionArn(service);
  const previousArn = await servingRevisionArn(ecs, inputs.cluster, service, log);
  const live = await describeTaskDefinition(ecs, liveArn);
  const base = fromFile ?? liveAsBase(live);
  const rendered = renderTaskDefinition(base.definition, inputs);

  // 2. Say what changes, then register only if something does.
  const changes = describeChanges(stripTaskDefinition(live.definition), rendered);
  log.info(changes.length ? `Changes against ${shortTaskDefinition(liveArn)}:\n  ${changes.join('\n  ')}` : `No changes against ${shortTaskDefinition(liveArn)}.`);
  const registration = await ensureRegistered(ecs, rendered, base.tags, live.definition);
  log.info(registrationMessage(registration.kind, registration.arn));
  const known = { taskDefinitionArn: registration.arn, previousTaskDefinitionArn: previousArn };
  setDeployOutputs(known);

  // 3. Update the service, or, when it already runs this definition, judge the deployment it has.
  let started: StartedDeployment;
  if (registration.kind === 'unchanged' && !inputs.forceNewDeployment) {
    const standing = judgeUnchangedService(service);
    if (standing.state === 'settled') {
      log.info(settledMessage(standing.deployment));
      await applyDesiredCount(ecs, inputs, service.desiredCount, log);
      setDeployOutputs({ ...known, status: 'succeeded', durationSeconds: 0 });
      return;
    }
    if (standing.state === 'failed') {
      setDeployOutputs({ ...known, deploymentId: standing.deployment.id, status: 'failed', durationSeconds: 0 });
      const message = failedBeforeMessage(standing);
      await writeJobSummary(section(heading(`❌ Deploy ${inputs.service}: failed`), message));
      throw new ActionFailure(message);
    }
    log.info(inProgressMessage(standing.deployment));
    await applyDesiredCount(ecs, inputs, service.desiredCount, log);
    started = mechanism.adopt(service, standing.deployment, context.clock);
  } else {
    started = await mechanism.start(
      { cluster: inputs.cluster, service: inputs.service, taskDefinitionArn: registration.arn, desiredCount: inputs.desiredCount, forceNewDeployment: inputs.forceNewDeployment, watch: inputs.wait },
      context,
    );
    log.info(`UpdateService started deployment ${started.deploymentId} of ${shortTaskDefinition(registration.arn)}.`);
  }
  const outputs = { ...known, deploymentId: started.deploymentId };
  await trail?.start({ description: shippedDescription(inputs, registration.arn), payload: shippedPayload(inputs, outputs) });
  if (!inputs.wait) {
    setDeployOutputs({ ...outputs, status: 'registered', durationSeconds: 0 });
    log.info('wait is false: not watching the rollout.');
    return;
  }

  // 4. Watch ECS roll it out.
  const outcome = await reportingErrors(trail, () =>
    mechanism.watch(started, { cluster: inputs.cluster, service: inputs.service, timeoutMs: inputs.timeoutMs, failedTasksThreshold: inputs.failedTasksThreshold }, context),
  );

  // 5. Report: outputs, job summary, and on failure the cause with its evidence.
  const durationSeconds = Math.round((outcome.finishedAt - started.startedAt) / 100) / 10;
  setDeployOutputs({ ...outputs, status: outcome.status, durationSeconds });
  const report: RolloutReport = {
    title: `Deploy ${inputs.service}`,
    region: inputs.region,
    cluster: inputs.cluster,
    service: inputs.service,
    // What UpdateService moved the service from: the live revision, or for a deployment already under way (whose
    // revision is the live one), the one that was serving beside it.
    previousTaskDefinitionArn: started.startedBefore ? previousArn || undefined : liveArn,
    taskDefinitionArn: registration.arn,
    deploymentId: started.deploymentId,
    startedAt: started.startedAt,
    timeoutMs: inputs.timeoutMs,
    changes,
    outcome,
    containers: rendered.containerDefinitions,
  };
  if (outcome.status !== 'succeeded') {
    const logs = createClient(CloudWatchLogsClient, { region: inputs.region, action: ACTION });
    report.logTail = await gatherLogTail(outcome.failedTasks, rendered.containerDefinitions ?? [], logs, log);
  }
  const note = started.startedBefore && outcome.status !== 'succeeded' ? startedBeforeNote(started.startedBefore) : undefined;
  const verdict = note ? `${explainRollout(report)} ${note}` : explainRollout(report);
  await writeJobSummary(section(rolloutSummaryMarkdown(report), note));
  await trail?.report(deploymentState(outcome.status), verdict);
  if (outcome.status !== 'succeeded') {
    logRolloutEvidence(report, log);
    throw new ActionFailure(verdict);
  }
  log.info(`✅ ${verdict} (${durationSeconds}s)`);
}

/** Reads and renders the file before any AWS call, so a broken file or container name changes nothing. */
async function checkFileEarly(inputs: DeployInputs): Promise<LoadedDefinition> {
  const loaded = await loadTaskDefinitionFile(inputs.taskDefinitionFile as string);
  renderTaskDefinition(loaded.definition, inputs);
  return loaded;
}

function registrationMessage(kind: 'unchanged' | 'reused' | 'registered', arn: string): string {
  if (kind === 'unchanged') return `The service already runs this definition (${shortTaskDefinition(arn)}); no revision registered.`;
  if (kind === 'reused') return `Reusing identical revision ${shortTaskDefinition(arn)}; no revision registered.`;
  return `Registered ${shortTaskDefinition(arn)}.`;
}

await runAction(deploy);
