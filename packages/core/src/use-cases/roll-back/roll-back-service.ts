import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { reportingErrors, type RecordingAuditTrail } from '../../common/audit-trail';
import { WorkflowCancelled, type CancellationSignal } from '../../common/cancellation';
import { ActionFailure, errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import { readDeploymentHistory, type DeploymentHistory } from '../../ecs/deployment-history';
import { explainRollout } from '../../ecs/diagnosis';
import { leftRollingOutMessage, leftRollingOutStatus } from '../../ecs/left-rolling-out';
import { ROLLBACK_UNDER_WAY_STATUSES } from '../../ecs/service-deployment-statuses';
import { heading } from '../../report/markdown';
import { logRolloutEvidence, rolloutSummaryMarkdown } from '../../ecs/rollout-report';
import { primaryDeployment } from '../../ecs/service';
import type { WatchOutcome } from '../../ecs/watch-loop';
import { mechanismFor } from '../../deployment/mechanism-for';
import { mechanismContext, type DeploymentMechanism } from '../../deployment/mechanism';
import type { ServiceReads } from '../../ecs/service-reads';
import type { ServiceDeploymentReads } from '../../ecs/service-deployment-reads';
import { section } from '../../report/markdown';
import { secondsBetween } from '../durations';
import { recordRollback } from './audit-trail';
import { rollbackPreflight } from './preflight';
import { headline, rollbackFailedByEcs, rollbackSummaryMarkdown, type RollbackStory, type RollbackVerdict } from './report';
import type { RollBackServiceRequest, RollbackOutputs } from './request';
import { chooseTarget, type RollbackTarget, type TargetSource } from './target';
import { failedRollbackReport, watchRollback, type WatchedDeployment } from './watch-back';
import { rollbackWatchTimeout } from './watch-timeout';

export interface RollBackClients {
  ecs: ECSClient;
  /** For a failed rollback's crashed containers' last log lines. */
  logs: CloudWatchLogsClient;
  /** For services under the CODE_DEPLOY deployment controller. */
  codedeploy?: CodeDeployClient;
}

/** What is platform-specific: the runner's log and annotations, masking, the job summary and outputs, and the GitHub Deployments. */
export interface RollBackPorts {
  log: Logger;
  /** Masks a value in the job log (and in the summary and Deployment descriptions written after). */
  setSecret(value: string): void;
  clock: Clock;
  writeSummary(markdown: string): Promise<void>;
  /** One annotation on the run, for every ending but a failure. */
  notice(message: string): void;
  /** Called as soon as outputs are known, so a failed run still says where it meant to go. */
  setOutputs(outputs: RollbackOutputs): void;
  /** With a github-token: the failed release's Deployment to close, and the rollback's own. */
  trail?: RecordingAuditTrail;
  /** Aborted when the workflow is cancelled: no AWS change after it, and the watch ends at once. */
  signal?: CancellationSignal;
  /** The watch's DescribeServices, when several rollbacks share one read a round (see BatchedServiceReads). */
  serviceReads?: ServiceReads;
  /** The watch's DescribeServiceDeployments, when several rollbacks share one read a round (BatchedServiceDeploymentReads). */
  serviceDeploymentReads?: ServiceDeploymentReads;
}

export interface RollBackResult {
  outputs: RollbackOutputs;
  verdict: RollbackVerdict;
  /** The verdict in words, as the annotation says it. */
  headline: string;
}

/**
 * auto-rollback: return the service to the revision that worked, the fastest correct way, and watch it get there.
 * One flow whoever brings the target back: this step's rollback, or ECS's own (its circuit breaker, or a person)
 * when the service already runs the target and a deployment is still rolling it out. A failure throws
 * ActionFailure after the outputs, the job summary and the audit trail say what happened.
 */
export async function rollBackService(
  request: RollBackServiceRequest,
  clients: RollBackClients,
  ports: RollBackPorts,
): Promise<RollBackResult> {
  const plan = await planRollback(request, clients, ports);
  return carryOutRollback(plan, clients, ports);
}

/** Everything known before any change: the service, its mechanism, its history and the revision it returns to. */
export interface RollbackPlan {
  request: RollBackServiceRequest;
  service: Service;
  /** The pre-flight table, for the job summary the rollback writes at its end. */
  preflight: string;
  found: unknown[];
  mechanism: DeploymentMechanism;
  history: DeploymentHistory;
  target: RollbackTarget;
}

/** What the caller of planRollback knows already: where the target comes from, and the service as it read it. */
export interface KnownBeforePlan {
  source?: TargetSource;
  /** The service as DescribeServices answered it (several services are read 10 a call first): not described again. */
  described?: Service;
}

/** 1. Where the service stands and where it returns to; every check comes before any change. */
export async function planRollback(
  request: RollBackServiceRequest,
  clients: RollBackClients,
  ports: Pick<RollBackPorts, 'log' | 'clock' | 'writeSummary' | 'signal'>,
  known: KnownBeforePlan = {},
): Promise<RollbackPlan> {
  const { ecs } = clients;
  const { log } = ports;
  const { source, described } = known;
  const context = mechanismContext(clients, ports);
  const { service, requestedArn, markdown: preflight, found } = await rollbackPreflight(ecs, request, ports, clients.codedeploy, described);
  // The pre-flight checks found the service supported: this is the mechanism they checked for.
  const mechanism = mechanismFor(service);
  const history = mechanism.readHistory
    ? await mechanism.readHistory(service, { ...request, found }, context)
    : await readDeploymentHistory(ecs, request.cluster, service, log);
  const target = chooseTarget(requestedArn, history, source ?? request.targetSource);
  return { request, service, preflight, found, mechanism, history, target };
}

/** 2 to 5. The audit trail, the rollback (or ECS's own), its watch and the report; throws ActionFailure on a failure. */
export async function carryOutRollback(plan: RollbackPlan, clients: RollBackClients, ports: RollBackPorts): Promise<RollBackResult> {
  const { request, service, preflight, found, mechanism, history, target } = plan;
  const { ecs } = clients;
  const { log, clock, trail, writeSummary } = ports;
  const context = mechanismContext(clients, ports);
  let outputs: RollbackOutputs;
  const setOutputs = (next: RollbackOutputs) => {
    outputs = next;
    ports.setOutputs(next);
  };
  const targetArn = target.taskDefinitionArn;
  log.info(`Reason: ${request.reason ?? '(no reason given)'}`);
  log.info(`Target: ${shortTaskDefinition(targetArn)}, chosen by ${target.chosenBy}.`);
  if (familyOf(targetArn) !== familyOf(service.taskDefinition)) {
    log.warning(
      `The target ${shortTaskDefinition(targetArn)} is of another family than the service's ${shortTaskDefinition(service.taskDefinition)}; rolling back to it anyway, as asked.`,
    );
  }
  setOutputs({ rolledBack: false, taskDefinitionArn: targetArn, durationSeconds: 0 });

  // Where the service is headed: its taskDefinition, or (a CODE_DEPLOY service) the revision of the deployment under way.
  const destination = history.destination ?? service.taskDefinition;
  const alreadyThere = destination === targetArn;
  // Already there: the release is the current deployment's target (after ECS's own rollback, not where it left the service).
  const fromArn =
    alreadyThere || history.destination !== undefined
      ? (history.current?.targetTaskDefinitionArn ?? history.current?.taskDefinitionArn ?? destination)
      : service.taskDefinition;

  // 2. The audit trail, before any change: the failed release is marked rolled back, the rollback recorded.
  await recordRollback(trail, request, fromArn, targetArn);

  // 3. The deployment that brings the target back: ECS's own when the service already runs the target (its circuit
  //    breaker, or a person, got there first), else the one this step starts.
  let story: RollbackStory;
  let watched: WatchedDeployment | undefined;
  // The watch's limit: the timeout, grown by the bake when the rollback is a new deployment through a strategy.
  let watchRequest = request;
  if (alreadyThere) {
    const startedAt = clock.now();
    story = { ...storyBasics(request, target, history), fromArn, verdict: 'already-there', startedAt, finishedAt: startedAt };
    // ECS's own rollback to the target already failed and ECS does not try again (ROLLBACK_FAILED): nothing is left
    // to watch, and nothing here would fare better.
    if (history.current?.status === 'ROLLBACK_FAILED') {
      await writeSummary(section(rollbackSummaryMarkdown({ ...story, verdict: 'failed' }), preflight));
      throw new ActionFailure(rollbackFailedByEcs(story));
    }
    // A rollback that fails there leaves the service as broken as one of ours would: watch it finish.
    // A release of another controller (a CodeDeploy deployment) says itself whether it is under way; ECS's own
    // deployments list does not follow it.
    const rolling =
      history.current?.deploymentId !== undefined
        ? history.current.inFlight
          ? history.current.deploymentId
          : undefined
        : stillRollingOut(service);
    if (request.wait && rolling) {
      log.info(
        `${shortTaskDefinition(targetArn)} is already the service's revision; ${history.current?.ownRollback ?? `deployment ${rolling}`} is still rolling it out: watching it.`,
      );
      watched = { deploymentId: rolling, startedAt, before: service, ...(history.current?.deploymentId ? {} : alreadyUnderWay(history)) };
    }
  } else {
    if (ports.signal?.aborted) {
      const message = `The workflow was cancelled before the rollback started: service ${request.service} was not changed and still runs ${shortTaskDefinition(service.taskDefinition)}.`;
      await writeSummary(section(heading(`⏹️ Roll back ${request.service}: cancelled`), message, preflight));
      await trail?.report('error', 'Cancelled: the workflow was cancelled before the rollback started');
      throw new ActionFailure(message);
    }
    const started = await reportingErrors(trail, () => mechanism.rollBack({ ...request, targetArn, history, found }, context));
    log.info(`${started.description}: deployment ${started.deploymentId} brings ${shortTaskDefinition(targetArn)} back.`);
    story = {
      ...storyBasics(request, target, history),
      fromArn,
      mechanism: started.description,
      verdict: 'started',
      startedAt: started.startedAt,
      finishedAt: started.startedAt,
    };
    if (started.settled) {
      // Nothing is left to watch: the service already serves the target alone.
      story.verdict = 'rolled-back';
      story.finishedAt = clock.now();
      setOutputs({ rolledBack: true, taskDefinitionArn: targetArn, durationSeconds: secondsBetween(started.startedAt, story.finishedAt) });
    } else if (request.wait) {
      const timeoutMs = rollbackWatchTimeout(request, started, started.bakeMs ?? mechanism.bakeTimeMs(started.service), log);
      watchRequest = { ...request, timeoutMs };
      watched = {
        deploymentId: started.deploymentId,
        startedAt: started.startedAt,
        before: service,
        stoppedBefore: started.stoppedBefore,
        ...(started.serviceDeploymentArn ? { serviceDeploymentArn: started.serviceDeploymentArn } : {}),
        ...(started.expect ? { expect: started.expect } : {}),
      };
    } else setOutputs({ rolledBack: true, taskDefinitionArn: targetArn, durationSeconds: 0 });
  }

  // 4. Watch it with deploy-ecs's watcher; a failed rollback is reported with deploy-ecs's diagnosis.
  if (watched) {
    const deployment = watched;
    let outcome: WatchOutcome;
    try {
      outcome = await watchRollback(mechanism, watchRequest, deployment, context);
    } catch (error) {
      if (error instanceof WorkflowCancelled) await leaveRollingOut(deployment);
      await trail?.report('error', errorMessage(error));
      throw error;
    }
    story.outcome = outcome;
    story.finishedAt = outcome.finishedAt;
    if (story.verdict === 'started') story.verdict = outcome.status === 'succeeded' ? 'rolled-back' : 'failed';
    setOutputs({
      rolledBack: story.verdict === 'rolled-back',
      taskDefinitionArn: targetArn,
      durationSeconds: secondsBetween(deployment.startedAt, outcome.finishedAt),
    });
    if (outcome.status !== 'succeeded') await failLoudly({ ...story, verdict: 'failed' }, deployment);
  }

  // 5. One notice annotation, the job summary and the rollback Deployment's success, for every ending but a failure.
  //    (With wait false the Deployment stays in progress: nobody watched the rollback finish.)
  const said = headline(story);
  ports.notice(`${said}${story.reason ? ` Reason: ${story.reason}.` : ''}`);
  await writeSummary(section(rollbackSummaryMarkdown(story), preflight));
  if (story.verdict !== 'started') await trail?.report('success', said);
  return { outputs: outputs!, verdict: story.verdict, headline: said };

  /** Cancelled mid-watch: ECS goes on with the rollback without this step; say which deployment, and how to follow it. */
  async function leaveRollingOut(deployment: WatchedDeployment): Promise<never> {
    const left = {
      region: request.region,
      cluster: request.cluster,
      service: request.service,
      deploymentId: deployment.deploymentId,
      purpose: `the rollback to ${shortTaskDefinition(targetArn)}`,
      known: deployment.before,
    };
    const message = leftRollingOutMessage(left);
    await writeSummary(section(heading(`⏹️ Roll back ${request.service}: cancelled`), message, preflight));
    await trail?.report('error', leftRollingOutStatus(left));
    throw new ActionFailure(message);
  }

  /** The service is on neither revision it should be: say so loudly, with deploy-ecs's diagnosis and evidence. */
  async function failLoudly(failed: RollbackStory, deployment: WatchedDeployment): Promise<never> {
    const outcome = failed.outcome!;
    const report = await failedRollbackReport(
      ecs,
      clients.logs,
      watchRequest,
      { ...deployment, fromArn: failed.fromArn, targetArn: failed.targetArn, outcome },
      { log, setSecret: ports.setSecret },
    );
    await writeSummary(section(rollbackSummaryMarkdown(failed), rolloutSummaryMarkdown(report), preflight));
    const verdict = `${headline(failed)} ${explainRollout(report)}`;
    await trail?.report('failure', verdict);
    await logRolloutEvidence(report, log);
    throw new ActionFailure(verdict);
  }
}

/** The deployment still rolling the service's revision out, if it has not settled (one deployment, COMPLETED). */
function stillRollingOut(service: Service): string | undefined {
  const primary = primaryDeployment(service);
  if (!primary?.id || (service.deployments?.length === 1 && primary.rolloutState === 'COMPLETED')) return undefined;
  return primary.id;
}

/**
 * The service deployment already bringing the target back, for a mechanism that follows service deployments: ECS's
 * own rollback (its ROLLBACK_SUCCESSFUL is the success), or a deployment of the target still in flight.
 */
function alreadyUnderWay(history: DeploymentHistory): Pick<WatchedDeployment, 'serviceDeploymentArn' | 'expect'> {
  const current = history.current;
  if (!current?.serviceDeploymentArn) return {};
  const rollingBack = ROLLBACK_UNDER_WAY_STATUSES.has(current.status ?? '');
  return { serviceDeploymentArn: current.serviceDeploymentArn, expect: rollingBack ? 'rollback' : 'release' };
}

function familyOf(arn: string | undefined): string | undefined {
  return arn ? shortTaskDefinition(arn).replace(/:\d+$/, '') : undefined;
}

function storyBasics(request: RollBackServiceRequest, target: RollbackTarget, history: DeploymentHistory) {
  return {
    region: request.region,
    cluster: request.cluster,
    service: request.service,
    reason: request.reason,
    targetArn: target.taskDefinitionArn,
    chosenBy: target.chosenBy,
    release: history.current,
  };
}
