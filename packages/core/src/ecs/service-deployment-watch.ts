import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import { sendingOnce } from '../common/aws';
import { errorMessage, isAccessDenied } from '../common/errors';
import type { Logger } from '../common/logger';
import { isTransientAwsError } from '../common/retry';
import { serviceDeploymentId } from './deployment-history';
import { awaitingPauseHook } from './pause-hook';
import { isFailedTask, type RolloutVerdict } from './rollout';
import { StageTimeline } from './stage-timeline';
import { StoppedTaskTracker } from './stopped-tasks';
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
}

interface Judged {
  verdict: Exclude<ServiceDeploymentVerdict, { state: 'in-progress' }>;
  sd: ServiceDeployment;
}

/**
 * Follows one service deployment (any strategy, made for BLUE_GREEN, LINEAR and CANARY) to a verdict with the one
 * poll loop (followDeployment): each poll reads DescribeServiceDeployments, logs each stage as it begins with the
 * traffic weights, and judges (judgeServiceDeployment). On a failure the target revision's stopped tasks are read
 * once, for the same diagnosis (stopped reasons, the crashed container's log lines) a rolling deploy gets.
 */
export function watchServiceDeployment(request: ServiceDeploymentWatchRequest, deps: WatchDependencies): Promise<WatchOutcome> {
  return followDeployment(request, serviceDeploymentStep(request, deps), deps);
}

export function serviceDeploymentStep(request: ServiceDeploymentWatchRequest, deps: WatchDependencies): PollStep<Judged> {
  const { log } = deps;
  // Reads within a poll go once: a throttled or failed one skips the round (followDeployment), the next is its retry.
  const ecs = sendingOnce(deps.ecs);
  const timeline = new StageTimeline(log);
  let last: ServiceDeployment | undefined;
  let lastService: Parameters<PollStep<Judged>['observe']>[0]['service'] | undefined;

  return {
    observe: async ({ service, polledAt }) => {
      lastService = service;
      const sd = await readServiceDeployment(ecs, request.serviceDeploymentArn);
      last = sd;
      timeline.note(sd, polledAt);
      const verdict = judgeServiceDeployment(sd, request.goal);
      return verdict.state === 'in-progress' ? undefined : { verdict, sd };
    },

    conclude: async (judged) => {
      const sd = judged?.sd ?? last;
      const common = {
        serviceDeploymentArn: request.serviceDeploymentArn,
        stage: sd?.lifecycleStage,
        ...(sd ? trafficWeights(sd) : {}),
        stages: timeline.seen(),
      };
      if (!judged) {
        const paused = sd ? awaitingPauseHook(sd) : undefined;
        const at = sd?.lifecycleStage ? ` (at ${sd.lifecycleStage}${paused ? `, PAUSE hook ${paused.hookId} awaiting action` : ''})` : '';
        const failedTasks = await stoppedTasksOf(request, deps.ecs, log);
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
        failedTasks: await stoppedTasksOf(request, deps.ecs, log),
      };
    },
  };
}

/** One DescribeServiceDeployments read; without it nothing can be judged, so a refusal ends the step naming the grant. */
async function readServiceDeployment(ecs: ECSClient, arn: string): Promise<ServiceDeployment> {
  let answer;
  try {
    answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  } catch (error) {
    if (isAccessDenied(error)) {
      throw new Error(
        `DescribeServiceDeployments was refused (${errorMessage(error)}): a blue/green, linear or canary deployment is followed through it. Grant ecs:DescribeServiceDeployments.`,
        { cause: error },
      );
    }
    throw error;
  }
  const sd = answer.serviceDeployments?.find((found) => found.serviceDeploymentArn === arn);
  if (!sd) {
    const why = answer.failures?.[0]?.reason ?? 'MISSING';
    throw new Error(`ECS does not know service deployment ${serviceDeploymentId(arn)} (${why}).`);
  }
  return sd;
}

/** The target revision's stopped tasks that count as failures, read once with the SDK's retries; none when unreadable. */
async function stoppedTasksOf(request: ServiceDeploymentWatchRequest, ecs: ECSClient, log: Logger): Promise<Task[]> {
  if (!request.deploymentId) return [];
  const tracker = new StoppedTaskTracker(ecs, request.cluster, request.service, request.deploymentId, request.stoppedBefore);
  try {
    return (await tracker.refresh()).filter(isFailedTask);
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    log.warning(`Could not list the stopped tasks of the new revision (${errorMessage(error)}): the verdict stands without them.`);
    return [];
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
