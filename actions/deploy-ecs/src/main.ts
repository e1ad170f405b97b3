import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  ActionFailure,
  actionsLogger as log,
  assertRollingUpdateService,
  circuitBreakerOf,
  createClient,
  describeChanges,
  describeService,
  describeTaskDefinition,
  ensureRegistered,
  explainRollout,
  gatherLogTail,
  loadTaskDefinitionFile,
  openDeploymentTrail,
  reportingErrors,
  logRolloutEvidence,
  renderTaskDefinition,
  rolloutSummaryMarkdown,
  runAction,
  shortTaskDefinition,
  stripTaskDefinition,
  watchRollout,
  writeJobSummary,
  type LoadedDefinition,
  type RolloutReport,
} from '@ecs-deploy/core';
import { liveAsBase, liveTaskDefinitionArn } from './base-definition';
import { readDeployInputs, type DeployInputs } from './inputs';
import { deploymentState, shippedDescription, shippedPayload } from './audit-trail';
import { setDeployOutputs } from './outputs';
import { startDeployment } from './update-service';

const ACTION = 'deploy-ecs';

async function deploy(): Promise<void> {
  const inputs = readDeployInputs();
  const trail = openDeploymentTrail(inputs.auditTrail, log);
  const ecs = createClient(ECSClient, { region: inputs.region, action: ACTION });

  // 1. What runs now, and what the service should run.
  const fromFile = inputs.taskDefinitionFile ? await checkFileEarly(inputs) : undefined;
  const service = await describeService(ecs, inputs.cluster, inputs.service, inputs.region);
  assertRollingUpdateService(service);
  const previousArn = liveTaskDefinitionArn(service);
  const live = await describeTaskDefinition(ecs, previousArn);
  const base = fromFile ?? liveAsBase(live);
  const rendered = renderTaskDefinition(base.definition, inputs);

  // 2. Say what changes, then register only if something does.
  const changes = describeChanges(stripTaskDefinition(live.definition), rendered);
  log.info(changes.length ? `Changes against ${shortTaskDefinition(previousArn)}:\n  ${changes.join('\n  ')}` : `No changes against ${shortTaskDefinition(previousArn)}.`);
  const registration = await ensureRegistered(ecs, rendered, base.tags, live.definition);
  log.info(registrationMessage(registration.kind, registration.arn));
  setDeployOutputs({ taskDefinitionArn: registration.arn, previousTaskDefinitionArn: previousArn });

  if (registration.kind === 'unchanged' && !inputs.forceNewDeployment) {
    await keepServiceAsItIs(ecs, inputs, service.desiredCount);
    setDeployOutputs({ taskDefinitionArn: registration.arn, previousTaskDefinitionArn: previousArn, status: 'succeeded', durationSeconds: 0 });
    return;
  }

  // 3. Update the service and watch ECS roll it out.
  const started = await startDeployment(ecs, inputs, registration.arn, inputs.forceNewDeployment);
  log.info(`UpdateService started deployment ${started.deploymentId} of ${shortTaskDefinition(registration.arn)}.`);
  const outputs = { taskDefinitionArn: registration.arn, previousTaskDefinitionArn: previousArn, deploymentId: started.deploymentId };
  await trail?.start({ description: shippedDescription(inputs, registration.arn), payload: shippedPayload(inputs, outputs) });
  if (!inputs.wait) {
    setDeployOutputs({ ...outputs, status: 'registered', durationSeconds: 0 });
    log.info('wait is false: not watching the rollout.');
    return;
  }
  const outcome = await reportingErrors(trail, () => watchRollout(
    {
      cluster: inputs.cluster,
      service: inputs.service,
      startedAt: started.startedAt,
      knownEventIds: (started.service.events ?? []).map((event) => event.id as string),
      stoppedBefore: started.stoppedBefore,
      timeoutMs: inputs.timeoutMs,
      target: {
        deploymentId: started.deploymentId,
        circuitBreaker: circuitBreakerOf(started.service),
        failedTasksThreshold: inputs.failedTasksThreshold,
      },
    },
    { ecs, log },
  ));

  // 4. Report: outputs, job summary, and on failure the cause with its evidence.
  const durationSeconds = Math.round((outcome.finishedAt - started.startedAt) / 100) / 10;
  setDeployOutputs({ ...outputs, status: outcome.status, durationSeconds });
  const report: RolloutReport = {
    title: `Deploy ${inputs.service}`,
    region: inputs.region,
    cluster: inputs.cluster,
    service: inputs.service,
    previousTaskDefinitionArn: previousArn,
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
  await writeJobSummary(rolloutSummaryMarkdown(report));
  await trail?.report(deploymentState(outcome.status), explainRollout(report));
  if (outcome.status !== 'succeeded') {
    logRolloutEvidence(report, log);
    throw new ActionFailure(explainRollout(report));
  }
  log.info(`✅ ${explainRollout(report)} (${durationSeconds}s)`);
}

/** Reads and renders the file before any AWS call, so a broken file or container name changes nothing. */
async function checkFileEarly(inputs: DeployInputs): Promise<LoadedDefinition> {
  const loaded = await loadTaskDefinitionFile(inputs.taskDefinitionFile as string);
  renderTaskDefinition(loaded.definition, inputs);
  return loaded;
}

/** Nothing to deploy; a desired-count change alone needs no new deployment. */
async function keepServiceAsItIs(ecs: ECSClient, inputs: DeployInputs, currentCount: number | undefined): Promise<void> {
  if (inputs.desiredCount !== undefined && inputs.desiredCount !== currentCount) {
    await ecs.send(new UpdateServiceCommand({ cluster: inputs.cluster, service: inputs.service, desiredCount: inputs.desiredCount }));
    log.info(`Task definition unchanged; desired count set from ${currentCount} to ${inputs.desiredCount} without a new deployment.`);
    return;
  }
  log.info('Task definition unchanged and force-new-deployment is false: nothing to deploy.');
}

function registrationMessage(kind: 'unchanged' | 'reused' | 'registered', arn: string): string {
  if (kind === 'unchanged') return `The service already runs this definition (${shortTaskDefinition(arn)}); no revision registered.`;
  if (kind === 'reused') return `Reusing identical revision ${shortTaskDefinition(arn)}; no revision registered.`;
  return `Registered ${shortTaskDefinition(arn)}.`;
}

await runAction(deploy);
