import { type Deployment, DescribeServiceRevisionsCommand, type ECSClient, type ServiceDeployment, type Task } from '@aws-sdk/client-ecs';
import { sendingOnce } from '../common/aws';
import { systemClock } from '../common/poll';
import { errorMessage, isAccessDenied } from '../common/errors';
import type { Logger } from '../common/logger';
import { isTransientAwsError } from '../common/retry';
import { serviceDeploymentId } from './deployment-history';
import { awaitingPauseHook } from './pause-hook';
import { backstopReached, backstopReason, type BackstopCount } from './backstop-rule';
import { breakerThreshold } from './breaker-threshold';
import { explainBreakerBlindSpot } from './breaker-blind-spot';
import { FailedTaskWatch } from './failed-task-watch';
import type { RolloutVerdict } from './rollout';
import { UNDER_WAY_STATUSES } from './service-deployment-statuses';
import { describeServiceDeployments, type ServiceDeploymentAnswer, type ServiceDeploymentReads } from './service-deployment-reads';
import { StageTimeline } from './stage-timeline';
import {
  judgeServiceDeployment,
  trafficWeights,
  type ServiceDeploymentGoal,
  type ServiceDeploymentVerdict,
} from './service-deployment-verdict';
import { followDeployment, type FollowRequest, type PollStep, type WatchDependencies, type WatchOutcome } from './watch-loop';

export interface ServiceDeploymentWatchRequest extends FollowRequest {
  serviceDeploymentArn: string;
  /** The ECS deployment (`ecs-svc/...`) of the target revision: its stopped tasks are a failure's evidence. */
  deploymentId?: string;
  /** The service's stopped task ARNs listed before the deployment was created: none is its, none is described. */
  stoppedBefore?: string[];
  goal?: ServiceDeploymentGoal;
  /**
   * The backstop for a crash loop ECS does not stop (its breaker off, or not counting these tasks): this many failed
   * tasks of the target revision (with the breaker on, at least its threshold) fail a release still under way.
   * Unset: no backstop.
   */
  failedTasksThreshold?: number;
}

interface Judged {
  verdict: Exclude<ServiceDeploymentVerdict, { state: 'in-progress' }>;
  sd: ServiceDeployment;
}

type Service = Parameters<PollStep<Judged>['observe']>[0]['service'];

/** What a service deployment's watch depends on: the loop's, and the shared DescribeServiceDeployments of several watches. */
export interface ServiceDeploymentWatchDependencies extends WatchDependencies {
  /** Where each round's DescribeServiceDeployments goes when several watches share one (BatchedServiceDeploymentReads); by default a call of its own. */
  serviceDeploymentReads?: ServiceDeploymentReads;
}

/**
 * Follows one service deployment (any strategy, made for BLUE_GREEN, LINEAR and CANARY) to a verdict with the one
 * poll loop (followDeployment): each poll reads DescribeServiceDeployments, logs each stage as it begins with the
 * traffic weights, and judges (judgeServiceDeployment). On a failure the target revision's stopped tasks are read
 * once, for the same diagnosis (stopped reasons, the crashed container's log lines) a rolling deploy gets.
 */
export async function watchServiceDeployment(
  request: ServiceDeploymentWatchRequest,
  deps: ServiceDeploymentWatchDependencies,
): Promise<WatchOutcome> {
  const shared = deps.serviceDeploymentReads;
  shared?.join(request.serviceDeploymentArn, { cluster: request.cluster, service: request.service });
  try {
    return await followDeployment(request, serviceDeploymentStep(request, deps), deps);
  } finally {
    shared?.done(request.serviceDeploymentArn);
  }
}

export function serviceDeploymentStep(request: ServiceDeploymentWatchRequest, deps: ServiceDeploymentWatchDependencies): PollStep<Judged> {
  const { log, clock = systemClock } = deps;
  // Reads within a poll go once: a throttled or failed one skips the round (followDeployment), the next is its retry.
  const ecs = sendingOnce(deps.ecs);
  const timeline = new StageTimeline(log);
  const stopped = request.deploymentId
    ? new FailedTaskWatch(deps.ecs, { ...request, deploymentId: request.deploymentId }, clock)
    : undefined;
  const backstopOn = stopped !== undefined && request.failedTasksThreshold !== undefined && request.goal?.expect !== 'rollback';
  let blindSpot: string | undefined;
  let last: ServiceDeployment | undefined;
  let lastService: Service | undefined;

  return {
    observe: async ({ service, newEvents, polledAt }) => {
      lastService = service;
      const sd = await readServiceDeployment(ecs, request.serviceDeploymentArn, deps.serviceDeploymentReads);
      last = sd;
      timeline.note(sd, polledAt);
      const verdict = judgeServiceDeployment(sd, request.goal);
      if (verdict.state !== 'in-progress') return { verdict, sd };
      if (!backstopOn || !UNDER_WAY_STATUSES.has(sd.status ?? '')) return undefined;
      const ours = service.deployments?.find((d) => d.id === request.deploymentId);
      const round = await (stopped as FailedTaskWatch).poll(ecs, { deployment: ours, newEvents, polledAt });
      const count = backstopCount(service, sd, ours, round.failedTasks.length, round.settled, request.failedTasksThreshold as number);
      if (!backstopReached(count)) return undefined;
      if (count.breaker && ours) blindSpot ??= await explainBreakerBlindSpot(ecs, service, ours, round.failedTasks);
      const where = ` while the service deployment was at ${sd.lifecycleStage ?? sd.status}`;
      const reason = count.breaker
        ? backstopReason(count, blindSpot ?? 'ECS does not count them', where)
        : `${backstopReason(count, undefined, where)}: ECS's circuit breaker is off, so ECS keeps replacing them until the deployment is stopped`;
      const cause = count.breaker ? 'breaker-did-not-trip' : 'failed-tasks-threshold';
      return { verdict: { state: 'failed', cause, reason }, sd };
    },

    conclude: async (judged) => {
      const sd = judged?.sd ?? last;
      const common = {
        serviceDeploymentArn: request.serviceDeploymentArn,
        stage: sd?.lifecycleStage,
        ...(sd ? trafficWeights(sd) : {}),
        stages: timeline.seen(),
        ...(stopped?.startupHealth ? { startupHealth: stopped.startupHealth } : {}),
      };
      if (!judged) {
        const paused = sd ? awaitingPauseHook(sd) : undefined;
        const at = sd?.lifecycleStage ? ` (at ${sd.lifecycleStage}${paused ? `, PAUSE hook ${paused.hookId} awaiting action` : ''})` : '';
        const failedTasks = await stoppedTasksOf(stopped, log);
        return { ...common, status: 'timed-out', reason: `the deployment did not finish within the timeout${at}`, failedTasks };
      }
      const { verdict } = judged;
      if (verdict.state === 'succeeded' || verdict.state === 'baking') return { ...common, status: verdict.state, failedTasks: [] };
      if (verdict.state === 'paused') return { ...common, status: 'paused', hookId: verdict.hookId, failedTasks: [] };
      const ours = lastService?.deployments?.find((d) => d.id === request.deploymentId) ?? { id: request.deploymentId };
      const rolloutVerdict: RolloutVerdict = { ...verdict, deployment: ours };
      const rolledBackTo = verdict.state === 'rolled-back' ? await rollbackTaskDefinition(deps.ecs, judged.sd) : undefined;
      return {
        ...common,
        status: verdict.state,
        reason: verdict.reason,
        cause: verdict.cause,
        verdict: rolloutVerdict,
        ...(rolledBackTo ? { rolledBackTo } : {}),
        failedTasks: await stoppedTasksOf(stopped, log),
      };
    },
  };
}

/**
 * What the backstop weighs on a service deployment under way. ECS's breaker, when on, says its threshold and count
 * on the service deployment (ServiceDeploymentCircuitBreaker); the target's Deployment.failedTasks is its count too.
 * A breaker that is off leaves only failed-tasks-threshold, over every failure counted (as the rolling watch does).
 */
function backstopCount(
  service: Service,
  sd: ServiceDeployment,
  ours: Deployment | undefined,
  failed: number,
  settled: number,
  failedTasksThreshold: number,
): BackstopCount {
  const config = sd.deploymentConfiguration?.deploymentCircuitBreaker ?? service.deploymentConfiguration?.deploymentCircuitBreaker;
  if (!config?.enable) return { counted: failed, failedTasksThreshold };
  return {
    counted: Math.min(settled, failed),
    failedTasksThreshold,
    breaker: {
      threshold: breakerThreshold(config, service.desiredCount ?? ours?.desiredCount ?? 0, sd),
      ecsCount: Math.max(ours?.failedTasks ?? 0, sd.deploymentCircuitBreaker?.failureCount ?? 0),
      triggered: sd.deploymentCircuitBreaker?.status === 'TRIGGERED',
    },
  };
}

/**
 * One DescribeServiceDeployments read, of its own or in the shared round; without it nothing can be judged, so a
 * refusal ends the step naming the grant.
 */
async function readServiceDeployment(ecs: ECSClient, arn: string, shared?: ServiceDeploymentReads): Promise<ServiceDeployment> {
  let answer: ServiceDeploymentAnswer | undefined;
  try {
    answer = shared ? await shared.read(arn) : (await describeServiceDeployments(ecs, [arn])).get(arn);
    if (answer && 'error' in answer) throw answer.error;
  } catch (error) {
    if (isAccessDenied(error)) {
      throw new Error(
        `DescribeServiceDeployments was refused (${errorMessage(error)}): a blue/green, linear or canary deployment is followed through it. Grant ecs:DescribeServiceDeployments.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (answer && 'serviceDeployment' in answer) return answer.serviceDeployment;
  const why = (answer && 'failure' in answer ? answer.failure.reason : undefined) ?? 'MISSING';
  throw new Error(`ECS does not know service deployment ${serviceDeploymentId(arn)} (${why}).`);
}

/** The target revision's stopped tasks that count as failures, read once more with the SDK's retries; those seen when unreadable. */
async function stoppedTasksOf(stopped: FailedTaskWatch | undefined, log: Logger): Promise<Task[]> {
  if (!stopped) return [];
  try {
    return await stopped.refresh();
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    log.warning(`Could not list the stopped tasks of the new revision (${errorMessage(error)}): the verdict stands without them.`);
    return stopped.failedTasks;
  }
}

/** The task definition ECS rolls back to (the rollback's or the first source revision's), when it can be read. */
async function rollbackTaskDefinition(ecs: ECSClient, sd: ServiceDeployment): Promise<string | undefined> {
  const revision = sd.rollback?.serviceRevisionArn ?? sd.sourceServiceRevisions?.[0]?.arn;
  if (!revision) return undefined;
  try {
    const answer = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision] }));
    return answer.serviceRevisions?.[0]?.taskDefinition;
  } catch {
    return undefined;
  }
}
