import type { CodeDeployClient, ECSTaskSet } from '@aws-sdk/client-codedeploy';
import type { Deployment, ECSClient, Service, Task } from '@aws-sdk/client-ecs';
import { sendingOnce } from '../../common/aws';
import { errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import { systemClock } from '../../common/poll';
import { isTransientAwsError } from '../../common/retry';
import { readCodeDeployDeployment, type CodeDeployDeploymentRead } from '../../codedeploy/read-deployment';
import { lifecycleEvent, taskSetLabelled } from '../../codedeploy/stages';
import { backstopReached, backstopReason } from '../../ecs/backstop-rule';
import { FailedTaskWatch } from '../../ecs/failed-task-watch';
import { ROLLBACK_GRACE_MS, type RolloutVerdict } from '../../ecs/rollout';
import { followDeployment, type PollStep, type WatchDependencies, type WatchOutcome } from '../../ecs/watch-loop';
import { judgeCodeDeployDeployment, type CodeDeployGoal, type CodeDeployVerdict } from './verdict';
import { CodeDeployEventLog } from './event-log';
import { deployedTaskDefinition } from './deployed-revision';
import { failedTasksOfRevision } from './replacement-tasks';

export interface CodeDeployWatchRequest {
  cluster: string;
  service: string;
  deploymentId: string;
  /** When the deployment was created: service events before it belong to earlier deploys. */
  startedAt: number;
  knownEventIds?: string[];
  /** The service's stopped task ARNs listed before the deployment: none is the replacement's, none is described. */
  stoppedBefore?: string[];
  timeoutMs: number;
  goal?: CodeDeployGoal;
  /** This many failed tasks of the replacement task set fail the step while CodeDeploy still waits for it. Unset: no backstop. */
  failedTasksThreshold?: number;
}

interface Judged {
  verdict: Exclude<CodeDeployVerdict, { state: 'in-progress' }>;
  read: CodeDeployDeploymentRead;
}

/**
 * Follows a CodeDeploy deployment of an ECS service to its verdict with the one poll loop (followDeployment): each
 * poll reads DescribeServices (the loop's; service events are streamed), then GetDeployment and GetDeploymentTarget,
 * logs each lifecycle event and each traffic weight as it changes, and judges (judgeCodeDeployDeployment). The
 * replacement (Green) task set's stopped tasks are followed as a rolling deploy's are: a crash loop past
 * failed-tasks-threshold fails the step before CodeDeploy gives up, and a failure's evidence has their stopped
 * reasons (and, in the report, the last log lines).
 */
export function watchCodeDeployDeployment(
  request: CodeDeployWatchRequest,
  deps: WatchDependencies & { codedeploy: CodeDeployClient },
): Promise<WatchOutcome> {
  return followDeployment(request, codeDeployStep(request, deps), deps);
}

export function codeDeployStep(
  request: CodeDeployWatchRequest,
  deps: WatchDependencies & { codedeploy: CodeDeployClient },
): PollStep<Judged> {
  const { log, clock = systemClock } = deps;
  const ecs = sendingOnce(deps.ecs);
  const events = new CodeDeployEventLog(log);
  let last: CodeDeployDeploymentRead | undefined;
  let lastService: Service | undefined;
  // The task sets by label, kept from the polls: a failed replacement is deleted from the target's list.
  const taskSets: { Blue?: ECSTaskSet; Green?: ECSTaskSet } = {};
  let replacement: FailedTaskWatch | undefined;
  let failedSeenAt: number | undefined;
  const backstopOn = request.failedTasksThreshold !== undefined && request.goal?.expect !== 'rollback';

  const replacementWatch = (green: ECSTaskSet | undefined) => {
    if (!replacement && green?.identifer) {
      // Tasks of a task set carry its id as startedBy, as a service deployment's carry the deployment id (*unconfirmed*
      // for task sets: the API reference says only "the deployment ID of that service"); the sandbox does the same.
      replacement = new FailedTaskWatch(deps.ecs, { ...request, deploymentId: green.identifer }, clock);
      log.info(`Replacement task set ${green.identifer} (Green) created.`);
    }
    return replacement;
  };

  return {
    observe: async ({ service, newEvents, polledAt }) => {
      lastService = service;
      const read = await readCodeDeployDeployment(deps.codedeploy, request, { sdkRetries: false });
      last = read;
      events.note(read, polledAt);
      taskSets.Blue = taskSetLabelled(read.target, 'Blue') ?? taskSets.Blue;
      taskSets.Green = taskSetLabelled(read.target, 'Green') ?? taskSets.Green;
      const verdict = judgeCodeDeployDeployment(read, request.goal);
      if (verdict.state === 'failed' && rollbackExpected(read)) {
        // The group rolls a failed deployment back: give CodeDeploy a moment to name the rollback deployment, so a
        // rollback under way is not reported as none (*unconfirmed* whether rollbackInfo can lag the Failed status).
        failedSeenAt ??= polledAt;
        if (polledAt - failedSeenAt < ROLLBACK_GRACE_MS) return undefined;
      }
      if (verdict.state !== 'in-progress') return { verdict, read };
      const watch = replacementWatch(taskSets.Green);
      if (!backstopOn || !watch) return undefined;
      const green = taskSets.Green as ECSTaskSet;
      const signals = {
        id: green.identifer,
        status: 'PRIMARY',
        runningCount: green.runningCount,
        pendingCount: green.pendingCount,
      } as Deployment;
      const round = await watch.poll(ecs, { deployment: signals, newEvents, polledAt });
      const count = { counted: round.settled, failedTasksThreshold: request.failedTasksThreshold as number };
      if (!backstopReached(count)) return undefined;
      const at = currentEvent(read) ?? read.deployment.status;
      const reason = `${backstopReason(count, undefined, ` in the replacement task set while CodeDeploy was at ${at}`)}: CodeDeploy waits for the task set to become stable and ECS keeps replacing them`;
      return { verdict: { state: 'failed', cause: 'failed-tasks-threshold', reason }, read };
    },

    conclude: async (judged) => {
      const read = judged?.read ?? last;
      const green = taskSets.Green;
      const common = {
        ...(read ? { stage: currentEvent(read) } : {}),
        ...(green?.trafficWeight !== undefined ? { productionTrafficWeight: green.trafficWeight } : {}),
        stages: events.seen(),
        ...(replacement?.startupHealth ? { startupHealth: replacement.startupHealth } : {}),
        // The task sets as CodeDeploy lists them now (a finished deployment lists only the one left serving).
        progress: progressOf({ Blue: taskSetLabelled(read?.target, 'Blue'), Green: taskSetLabelled(read?.target, 'Green') }, lastService),
      };
      const failedTasks = async () => {
        const watch = replacementWatch(green);
        if (watch) return stoppedTasksOf(watch, log);
        // CodeDeploy made and removed the replacement between two polls: its tasks are found by revision instead.
        const revision = read ? await deployedTaskDefinition(deps.codedeploy, read.deployment) : undefined;
        return revision ? unseenReplacementTasks(deps.ecs, request, revision, taskSets.Blue?.identifer, log) : [];
      };
      if (!judged) {
        const at = read ? ` (${read.deployment.status}${currentEvent(read) ? `, at ${currentEvent(read)}` : ''})` : '';
        return {
          ...common,
          status: 'timed-out',
          reason: `the deployment did not finish within the timeout${at}`,
          advice: `CodeDeploy carries on with deployment ${request.deploymentId}; this step no longer waits for it.`,
          failedTasks: await failedTasks(),
        };
      }
      const { verdict } = judged;
      if (verdict.state === 'succeeded') return { ...common, status: 'succeeded', failedTasks: [] };
      if (verdict.state === 'baking') {
        return {
          ...common,
          status: 'baking',
          greenNote:
            'rerouted production traffic to the replacement task set, and the termination wait has begun: the original task set keeps running for a quick way back; CodeDeploy ends the deployment after the wait, and this step no longer waits for it.',
          failedTasks: [],
        };
      }
      if (verdict.state === 'paused') {
        return {
          ...common,
          status: 'paused',
          greenNote: `is Ready: the replacement task set takes test traffic and production moves only on ContinueDeployment READY_WAIT (e.g. verify-health's continue-deployment with ${request.deploymentId}); this step no longer waits for it.`,
          failedTasks: [],
        };
      }
      const rolloutVerdict = { ...verdict, deployment: { id: request.deploymentId } } as RolloutVerdict;
      const rolledBackTo = verdict.state === 'rolled-back' ? taskDefinitionOf(taskSets.Blue, lastService) : undefined;
      return {
        ...common,
        status: verdict.state,
        reason: verdict.reason,
        cause: verdict.cause,
        verdict: rolloutVerdict,
        ...(verdict.state === 'rolled-back'
          ? { rolledBackBy: `CodeDeploy (rollback deployment ${verdict.rollbackDeploymentId})`, ...(rolledBackTo ? { rolledBackTo } : {}) }
          : { advice: failedAdvice(verdict.cause, read) }),
        failedTasks: await failedTasks(),
      };
    },
  };
}

/** A Failed deployment whose auto-rollback covers failures (DEPLOYMENT_FAILURE) and that names no rollback yet. */
function rollbackExpected(read: CodeDeployDeploymentRead): boolean {
  const config = read.deployment.autoRollbackConfiguration;
  return (
    read.deployment.status === 'Failed' &&
    !read.deployment.rollbackInfo?.rollbackDeploymentId &&
    config?.enabled === true &&
    (config.events ?? []).includes('DEPLOYMENT_FAILURE')
  );
}

/** The lifecycle event under way, else the last one done: where the deployment is. */
function currentEvent(read: CodeDeployDeploymentRead): string | undefined {
  const events = read.target?.lifecycleEvents ?? [];
  const under = events.find((e) => e.status === 'InProgress' || e.status === 'Failed');
  const done = [...events].reverse().find((e) => e.status === 'Succeeded');
  return (under ?? done)?.lifecycleEventName;
}

/** `Green web:4 2/2 running, 100% traffic; Blue web:3 2/2 running, 0% traffic`. */
function progressOf(taskSets: { Blue?: ECSTaskSet; Green?: ECSTaskSet }, service: Service | undefined): string | undefined {
  const parts = (['Green', 'Blue'] as const).flatMap((label) => {
    const taskSet = taskSets[label];
    if (!taskSet) return [];
    const revision = taskDefinitionOf(taskSet, service);
    const weight = taskSet.trafficWeight !== undefined ? `, ${taskSet.trafficWeight}% of production traffic` : '';
    return [
      `${label} task set${revision ? ` of ${shortTaskDefinition(revision)}` : ''} ${taskSet.runningCount ?? 0}/${taskSet.desiredCount ?? 0} running${weight}`,
    ];
  });
  return parts.length ? parts.join('; ') : undefined;
}

/** The task definition a task set runs, from the service's task sets (DescribeServices lists them for CODE_DEPLOY). */
export function taskDefinitionOf(taskSet: ECSTaskSet | undefined, service: Service | undefined): string | undefined {
  return service?.taskSets?.find((t) => t.id === taskSet?.identifer)?.taskDefinition;
}

function failedAdvice(cause: string, read: CodeDeployDeploymentRead | undefined): string {
  if (cause === 'failed-tasks-threshold')
    return `CodeDeploy goes on waiting for the replacement task set; stop deployment ${read?.deploymentId ?? ''} (auto-rollback, or StopDeployment), then fix the revision and deploy again.`;
  const rerouted = lifecycleEvent(read?.target, 'AllowTraffic')?.status === 'Succeeded';
  return rerouted
    ? 'CodeDeploy did not roll back, and production traffic had already moved to the replacement task set: roll back (auto-rollback) to the revision that was serving, or deploy a fix.'
    : 'CodeDeploy did not roll back; production traffic stayed on the original task set. Fix the cause and deploy again.';
}

async function unseenReplacementTasks(
  ecs: ECSClient,
  request: CodeDeployWatchRequest,
  revision: string,
  originalTaskSetId: string | undefined,
  log: Logger,
): Promise<Task[]> {
  try {
    return await failedTasksOfRevision(ecs, request, revision, originalTaskSetId);
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    log.warning(`Could not list the stopped tasks of the new revision (${errorMessage(error)}): the verdict stands without them.`);
    return [];
  }
}

/** The replacement's stopped tasks that count as failures, read once more with the SDK's retries; those seen when unreadable. */
async function stoppedTasksOf(watch: FailedTaskWatch | undefined, log: Logger): Promise<Task[]> {
  if (!watch) return [];
  try {
    return await watch.refresh();
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    log.warning(`Could not list the stopped tasks of the replacement task set (${errorMessage(error)}): the verdict stands without them.`);
    return watch.failedTasks;
  }
}
