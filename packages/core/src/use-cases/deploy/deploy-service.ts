import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ContainerDefinition, ECSClient, Service } from '@aws-sdk/client-ecs';
import type { RecordingAuditTrail } from '../../common/audit-trail';
import type { ClientFactory } from '../../common/aws';
import { WorkflowCancelled, type CancellationSignal } from '../../common/cancellation';
import { ActionFailure, errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { heading, section } from '../../report/markdown';
import { describeChanges } from '../../task-definition/diff';
import { describeTaskDefinition, ensureRegistered, type DescribedDefinition } from '../../task-definition/register';
import { renderTaskDefinition } from '../../task-definition/render';
import { stripTaskDefinition } from '../../task-definition/strip';
import { containerSecretValues } from '../../task-definition/secret-values';
import { keptTagsNote, revisionTags } from '../../task-definition/revision-tags';
import { githubRunTags } from '../../common/github-run-tags';
import { explainRollout, gatherLogTail } from '../../ecs/diagnosis';
import { logRolloutEvidence, rolloutSummaryMarkdown, type RolloutReport } from '../../ecs/rollout-report';
import { startedBeforeNote } from '../../ecs/unchanged-service';
import { mechanismFor } from '../../deployment/mechanism-for';
import { mechanismContext, type StartedDeployment } from '../../deployment/mechanism';
import type { ServiceReads } from '../../ecs/service-reads';
import type { ServiceDeploymentReads } from '../../ecs/service-deployment-reads';
import { isGreen } from '../../ecs/rollout-report';
import { serviceDeploymentId } from '../../ecs/deployment-history';
import { existingDeployment } from './follow-existing';
import { deploymentState, shippedDescription, shippedPayload } from './audit-trail';
import { leftRollingOutMessage, leftRollingOutStatus } from '../../ecs/left-rolling-out';
import { liveAsBase, liveTaskDefinitionArn, servingRevisionArn } from './base-definition';
import { applyServiceUpdate } from './service-update';
import { keptByRunningTasksNotice, settingChangeLines, settingChanges, settingFields } from '../../ecs/service-settings';
import { primaryDeployment } from '../../ecs/service';
import { deployPreflight } from './preflight';
import { afterSuccessfulDeploy } from './after-deploy';
import { secondsBetween } from '../durations';
import type { DeployOutputs, DeployRequest } from './request';

/** The value of the ecs-deploy-suite:action tag on the revisions deploy-ecs registers. */
export const ACTION_TAG = 'deploy-ecs';

export interface DeployClients {
  ecs: ECSClient;
  /** For a failed rollout's crashed containers' last log lines. */
  logs: CloudWatchLogsClient;
  /** For services under the CODE_DEPLOY deployment controller. */
  codedeploy?: CodeDeployClient;
  /** Clients in the regions the revision's images and log groups live in, for their pre-flight checks (left out without it). */
  aws?: ClientFactory;
}

/** What is platform-specific: the runner's log, masking, the job summary and outputs, and the GitHub Deployment. */
export interface DeployPorts {
  log: Logger;
  /** Masks a value in the job log (and in the summary and Deployment descriptions written after). */
  setSecret(value: string): void;
  clock: Clock;
  writeSummary(markdown: string): Promise<void>;
  /**
   * Called as soon as outputs are known, so a later `if: failure()` step (auto-rollback) still gets
   * previous-task-definition-arn when the rollout fails.
   */
  setOutputs(outputs: DeployOutputs): void;
  /** With a github-token: the GitHub Deployment to record. */
  trail?: RecordingAuditTrail;
  /** Aborted when the workflow is cancelled: no AWS change after it, and the watch ends at once. */
  signal?: CancellationSignal;
  /** The run's environment (GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID, ...): the tags of a revision registered. */
  env?: NodeJS.ProcessEnv;
  /** Several services deployed in one step (deployServices): the DescribeServices rounds their watches share. */
  serviceReads?: ServiceReads;
  /** Several services deployed in one step: the DescribeServiceDeployments rounds their blue/green, linear or canary watches share. */
  serviceDeploymentReads?: ServiceDeploymentReads;
  /**
   * Called once the revision is rendered, before the first change (a registration, an update): deployServices
   * refuses a service it cannot deploy here, and holds each service until every other one got this far.
   */
  beforeFirstChange?(service: Service): Promise<void>;
}

export interface DeployResult {
  outputs: DeployOutputs;
  /** The verdict in words, when the rollout was watched. */
  verdict?: string;
}

/** What the caller of deployService knows already: the service as it read it. */
export interface KnownBeforeDeploy {
  /**
   * The service as DescribeServices answered it (deployServices reads several 10 a call first): not described again.
   * Its revision is the base the new one renders from and the left side of its diff.
   */
  described?: Service;
}

/**
 * deploy-ecs: render the revision, register it only if something changed, point the service at it with the
 * service's deployment mechanism, and watch that to a verdict. A failure throws ActionFailure with the verdict,
 * after the outputs, the job summary and the audit trail say what happened.
 */
export async function deployService(
  request: DeployRequest,
  clients: DeployClients,
  ports: DeployPorts,
  already: KnownBeforeDeploy = {},
): Promise<DeployResult> {
  const { ecs } = clients;
  const { log, clock, trail, writeSummary, setOutputs } = ports;

  // 1. The pre-flight checks, then what runs now, what was serving, and what the service should run.
  const {
    fromFile,
    fromRevision,
    service,
    markdown: preflight,
    plan,
    found,
  } = await deployPreflight(clients, request, ports, clients.aws, already.described);
  // The pre-flight checks found the service supported: this is the mechanism they checked for.
  const mechanism = mechanismFor(service);
  const context = mechanismContext(clients, ports);
  // Before each change: a cancelled job changes nothing more, and says how far it got.
  const stopIfCancelled = async (done: string, soFar: DeployOutputs) => {
    if (!ports.signal?.aborted) return;
    const message = `The workflow was cancelled before the service was updated: ${done}; service ${request.service} was not changed.`;
    setOutputs({ ...soFar, status: 'cancelled' });
    await writeSummary(section(heading(`⏹️ Deploy ${request.service}: cancelled`), message, preflight));
    throw new ActionFailure(message);
  };
  const liveArn = liveTaskDefinitionArn(service);
  // Follow a deployment that exists (a gate continued it, or an earlier job started it): nothing to render or start.
  const followed = await existingDeployment(clients, request, service, { clock, log });
  // A deployment followed may have finished: what serves now is its own revision, so what served before it is asked.
  const previousArn = followed
    ? servingRevisionArn(followed.previous, log, 'before the deployment followed')
    : servingRevisionArn(await mechanism.servingRevision(service, { ...context, cluster: request.cluster }, found), log);
  if (followed) {
    const target = await describeTaskDefinition(ecs, followed.taskDefinitionArn);
    const known: DeployOutputs = {
      taskDefinitionArn: followed.taskDefinitionArn,
      previousTaskDefinitionArn: previousArn,
      deploymentId: followed.started.deploymentId,
      ...serviceDeploymentOf(followed.started),
      ...codeDeployDeploymentOf(followed.started),
    };
    setOutputs(known);
    return watchAndReport(followed.started, known, {
      changes: [],
      containers: target.definition.containerDefinitions,
      fromArn: previousArn,
    });
  }
  const live = await describeTaskDefinition(ecs, liveArn);
  // A registered revision named by task-definition is deployed as it is; otherwise the file or the live revision
  // with the step's changes.
  const rendered = fromRevision
    ? stripTaskDefinition(fromRevision.definition)
    : renderTaskDefinition((fromFile ?? liveAsBase(live)).definition, request);
  // The revision may carry credentials this step's inputs never named (put there by an earlier deploy): a crashed
  // container quoting one in its last log lines must show ***.
  for (const value of containerSecretValues(rendered.containerDefinitions)) ports.setSecret(value);

  // 2. Say what changes, then register only if something does (never for a registered revision).
  const revisionChanges = describeChanges(stripTaskDefinition(live.definition), rendered);
  log.info(
    revisionChanges.length
      ? `Changes against ${shortTaskDefinition(liveArn)}:\n  ${revisionChanges.join('\n  ')}`
      : `No changes against ${shortTaskDefinition(liveArn)}.`,
  );
  // The service settings the step changes (old → new): sent with the update, listed with the revision's changes.
  const settings = settingChanges(service, request.serviceSettings);
  if (settings.length) log.info(`Service settings that change:\n  ${settingChangeLines(settings).join('\n  ')}`);
  const changes = [...revisionChanges, ...settingChangeLines(settings)];
  await ports.beforeFirstChange?.(service);
  await stopIfCancelled('no revision was registered', { taskDefinitionArn: '', previousTaskDefinitionArn: previousArn });
  // What a revision registered now carries: its base's tags, this run's (repository, commit, run) and the tags input.
  const tags = fromRevision
    ? []
    : revisionTags((fromFile ?? liveAsBase(live)).tags, githubRunTags(ACTION_TAG, ports.env), request.tags ?? []);
  const registration = fromRevision
    ? asRegistered(fromRevision, liveArn)
    : await ensureRegistered(ecs, rendered, tags, live.definition, { log, clock, signal: ports.signal });
  log.info(registrationMessage(registration.kind, registration.arn));
  if (!fromRevision && registration.kind !== 'registered') {
    log.info(keptTagsNote(registration.kind === 'reused' ? registration.tags : live.tags, tags));
  }
  const known = { taskDefinitionArn: registration.arn, previousTaskDefinitionArn: previousArn };
  setOutputs(known);
  await stopIfCancelled(`${registrationMessage(registration.kind, registration.arn)}`.replace(/\.$/, ''), known);

  // 3. Update the service, or, when it already runs this definition, judge the deployment it has.
  let started: StartedDeployment;
  if (registration.kind === 'unchanged' && !request.forceNewDeployment) {
    const standing = await mechanism.judgeUnchanged(service, context, found);
    if (standing.state === 'failed') {
      setOutputs({ ...known, deploymentId: standing.deploymentId, status: 'failed', durationSeconds: 0 });
      await writeSummary(section(heading(`❌ Deploy ${request.service}: failed`), standing.message, preflight));
      throw new ActionFailure(standing.message);
    }
    log.info(standing.message);
    const updated = await applyServiceUpdate(ecs, request, service, settings, { log, signal: ports.signal });
    // None of what that update sends starts a deployment; should ECS start one all the same, it is watched.
    const startedNow = updated ? await deploymentStartedByUpdate(service, updated) : undefined;
    if (startedNow) started = startedNow;
    else if (standing.state === 'in-progress') started = standing.started;
    else {
      const settled: DeployOutputs = { ...known, status: 'succeeded', durationSeconds: 0 };
      setOutputs(settled);
      if (settings.length) await writeSummary(settingsSummary(request.service, registration.arn, settings, preflight));
      await afterSuccessfulDeploy(request, ecs, clients.aws, settled, ports);
      return { outputs: settled };
    }
  } else {
    started = await mechanism.start(
      {
        cluster: request.cluster,
        service: request.service,
        taskDefinitionArn: registration.arn,
        desiredCount: request.desiredCount,
        settings: settingFields(settings),
        forceNewDeployment: request.forceNewDeployment,
        watch: request.wait,
        found,
      },
      context,
    );
    const sd = started.serviceDeploymentArn ? ` (service deployment ${serviceDeploymentId(started.serviceDeploymentArn)})` : '';
    log.info(
      `${started.startedWith ?? 'UpdateService'} started deployment ${started.deploymentId}${sd} of ${shortTaskDefinition(registration.arn)}.`,
    );
  }
  const outputs = { ...known, deploymentId: started.deploymentId, ...serviceDeploymentOf(started), ...codeDeployDeploymentOf(started) };
  await trail?.start({ description: shippedDescription(request, registration.arn), payload: shippedPayload(request, outputs) });
  if (!request.wait) {
    const registered: DeployOutputs = { ...outputs, status: 'registered', durationSeconds: 0 };
    setOutputs(registered);
    log.info('wait is false: not watching the rollout.');
    return { outputs: registered };
  }

  // What UpdateService moved the service from: the live revision, or for a deployment already under way (whose
  // revision is the live one), the one that was serving beside it.
  const fromArn = started.startedBefore ? previousArn || undefined : liveArn;
  return watchAndReport(started, outputs, { changes, containers: rendered.containerDefinitions, fromArn });

  /**
   * The deployment an UpdateService without a task definition started after all (a new PRIMARY deployment in its
   * answer), adopted as the mechanism adopts one under way; undefined when it started none, as ECS documents.
   */
  async function deploymentStartedByUpdate(before: Service, after: Service): Promise<StartedDeployment | undefined> {
    const primary = primaryDeployment(after);
    if (!primary?.id || primary.id === primaryDeployment(before)?.id) return undefined;
    const standing = await mechanism.judgeUnchanged(after, context, found);
    if (standing.state !== 'in-progress') return undefined;
    log.warning(`UpdateService of the service settings started deployment ${primary.id}: watching it.`);
    return { ...standing.started, startedBefore: undefined };
  }

  /** 4 and 5: watch the deployment to its verdict (or the stage wait-until asks for), then report. */
  async function watchAndReport(
    started: StartedDeployment,
    outputs: DeployOutputs,
    what: { changes: string[]; containers: ContainerDefinition[] | undefined; fromArn: string | undefined },
  ): Promise<DeployResult> {
    // 4. Watch ECS roll it out.
    const watching = {
      cluster: request.cluster,
      service: request.service,
      timeoutMs: plan.timeoutMs,
      failedTasksThreshold: request.failedTasksThreshold,
      waitUntil: plan.waitUntil,
    };
    let outcome;
    try {
      outcome = await mechanism.watch(started, watching, context);
    } catch (error) {
      if (error instanceof WorkflowCancelled) {
        // ECS goes on without this step: say which deployment, and leave no Deployment in progress.
        const left = {
          region: request.region,
          cluster: request.cluster,
          service: request.service,
          deploymentId: started.deploymentId,
          known: started.service,
          ...(started.codeDeployDeploymentId ? { codeDeployDeploymentId: started.codeDeployDeploymentId } : {}),
        };
        const message = leftRollingOutMessage(left);
        setOutputs({ ...outputs, status: 'cancelled', durationSeconds: secondsBetween(started.startedAt, clock.now()) });
        await writeSummary(section(heading(`⏹️ Deploy ${request.service}: cancelled`), message, preflight));
        await trail?.report('error', leftRollingOutStatus(left));
        throw new ActionFailure(message);
      }
      await trail?.report('error', errorMessage(error));
      throw error;
    }

    // 5. Report: outputs, job summary, and on failure the cause with its evidence.
    const durationSeconds = secondsBetween(started.startedAt, outcome.finishedAt);
    const final: DeployOutputs = {
      ...outputs,
      ...(outcome.serviceDeploymentArn ? { serviceDeploymentArn: outcome.serviceDeploymentArn } : {}),
      ...(outcome.stage ? { lifecycleStage: outcome.stage } : {}),
      ...(outcome.hookId ? { hookId: outcome.hookId } : {}),
      status: outcome.status,
      durationSeconds,
    };
    setOutputs(final);
    const report: RolloutReport = {
      title: `Deploy ${request.service}`,
      region: request.region,
      cluster: request.cluster,
      service: request.service,
      previousTaskDefinitionArn: what.fromArn,
      taskDefinitionArn: outputs.taskDefinitionArn,
      deploymentId: started.deploymentId,
      startedAt: started.startedAt,
      timeoutMs: plan.timeoutMs,
      changes: what.changes,
      ...(started.startedWith ? { startedWith: started.startedWith } : {}),
      outcome,
      containers: what.containers,
    };
    const green = isGreen(outcome.status);
    if (!green) {
      report.logTail = await gatherLogTail(outcome.failedTasks, what.containers ?? [], clients.logs, log);
    }
    const note = started.startedBefore && !green ? startedBeforeNote(started.startedBefore) : undefined;
    const verdict = note ? `${explainRollout(report)} ${note}` : explainRollout(report);
    await writeSummary(section(rolloutSummaryMarkdown(report), note, preflight));
    await trail?.report(deploymentState(outcome.status), verdict);
    if (!green) {
      await logRolloutEvidence(report, log);
      throw new ActionFailure(verdict);
    }
    log.info(`✅ ${verdict} (${durationSeconds}s)`);
    await afterSuccessfulDeploy(request, ecs, clients.aws, final, ports);
    return { outputs: final, verdict };
  }
}

/** A registered revision named by task-definition: the service's own (nothing to update), or one to update it to. */
function asRegistered(described: DescribedDefinition, liveArn: string): { kind: 'unchanged' | 'existing'; arn: string } {
  const arn = described.definition.taskDefinitionArn as string;
  return { kind: arn === liveArn ? 'unchanged' : 'existing', arn };
}

/** The job summary of a run that changed only service settings on a settled service: what changed, and for which tasks. */
function settingsSummary(service: string, arn: string, settings: ReturnType<typeof settingChanges>, preflight: string): string {
  return section(
    heading(`✅ Deploy ${service}: succeeded`),
    `The service already runs ${shortTaskDefinition(arn)}: the service settings were set without a new deployment.`,
    keptByRunningTasksNotice(settings),
    section(
      heading('Changes', 3),
      settingChangeLines(settings)
        .map((line) => `- ${line}`)
        .join('\n'),
    ),
    preflight,
  );
}

function registrationMessage(kind: 'unchanged' | 'reused' | 'registered' | 'existing', arn: string): string {
  if (kind === 'unchanged') return `The service already runs this definition (${shortTaskDefinition(arn)}); no revision registered.`;
  if (kind === 'existing') return `Deploying ${shortTaskDefinition(arn)} as registered (task-definition); no revision registered.`;
  if (kind === 'reused') return `Reusing identical revision ${shortTaskDefinition(arn)}; no revision registered.`;
  return `Registered ${shortTaskDefinition(arn)}.`;
}

/** The service deployment a start found, as outputs. */
function serviceDeploymentOf(started: StartedDeployment): Pick<DeployOutputs, 'serviceDeploymentArn'> {
  return started.serviceDeploymentArn ? { serviceDeploymentArn: started.serviceDeploymentArn } : {};
}

/** The CodeDeploy deployment a start created (or a follow named), as outputs. */
function codeDeployDeploymentOf(started: StartedDeployment): Pick<DeployOutputs, 'codeDeployDeploymentId'> {
  return started.codeDeployDeploymentId ? { codeDeployDeploymentId: started.codeDeployDeploymentId } : {};
}
