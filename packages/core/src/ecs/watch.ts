import { type Deployment, type Service, type Task } from '@aws-sdk/client-ecs';
import { sendingOnce } from '../common/aws';
import { errorMessage } from '../common/errors';
import { systemClock } from '../common/poll';
import { isTransientAwsError } from '../common/retry';
import { explainBreakerBlindSpot } from './breaker-blind-spot';
import { FailedTaskWatch } from './failed-task-watch';
import { judgeRollout, progressLine, type RolloutObservation, type RolloutTarget, type RolloutVerdict } from './rollout';
import { ServiceDeploymentReader, type ServiceDeploymentRead } from './service-deployment-reader';
import { epochMs } from './times';
import { followDeployment, type FollowRequest, type PollStep, type WatchDependencies, type WatchOutcome } from './watch-loop';

export type { RolloutStatus, WatchDependencies, WatchOutcome } from './watch-loop';

/** With deployment alarms on, the service deployment is read at most this often to see an alarm that triggered. */
export const ALARM_CHECK_INTERVAL_MS = 5000;

/** UpdateService creates the deployment and its service deployment together; ECS's clock puts them this close. */
const SAME_CREATION_MS = 5_000;

export interface WatchRequest extends FollowRequest {
  target: RolloutTarget;
  /** The service's stopped task ARNs listed before the deployment was created: none is its, none is described. */
  stoppedBefore?: string[];
  /**
   * The service as the start saw it (UpdateService's answer): our deployment PRIMARY, its service deployment, the
   * revisions before it. Remembered as a first poll would be, so that a watcher whose first polls are throttled
   * until ECS has already rolled back and removed our deployment still knows what to read and what was rolled back.
   */
  startedWith?: Service;
}

/**
 * Watches one rolling deployment until ECS's own signals settle it (see judgeRollout), with the poll loop every
 * mechanism shares (followDeployment): this is the rolling mechanism's step of it.
 *
 * Each poll is one DescribeServices call. The service's stopped tasks are listed only when the deployment changed
 * (StoppedTaskSchedule), with or without a circuit breaker: the breaker does not count every crash (see the
 * backstop in judgeRollout). DescribeServiceDeployments is called only when the deployment failed, left, or needs
 * ECS's threshold confirmed, and every few seconds while deployment alarms are on.
 */
export function watchRollout(request: WatchRequest, deps: WatchDependencies): Promise<WatchOutcome> {
  return followDeployment(request, rollingStep(request, deps), deps);
}

/** Per poll: the stopped tasks when due, what the verdict wants read, judgeRollout, and the progress line. */
function rollingStep(request: WatchRequest, deps: WatchDependencies): PollStep<RolloutVerdict> {
  const { log, clock = systemClock } = deps;
  // Reads within a poll go once: a throttled or failed one skips the round (followDeployment), the next is its retry.
  const ecs = sendingOnce(deps.ecs);
  const { target } = request;
  const stopped = new FailedTaskWatch(deps.ecs, { ...request, deploymentId: target.deploymentId }, clock);
  const memory = new DeploymentMemory(target.deploymentId);
  if (request.startedWith) memory.note(request.startedWith);
  const serviceDeployments = new ServiceDeploymentReader(ecs, log);
  let lastProgress = '';
  let failedTasks: Task[] = [];
  let awaitingRollbackSince: number | undefined;
  let blindSpot: string | undefined;
  let alarmsReadAt = Number.NEGATIVE_INFINITY;
  /** Set when the latest round listed and described the stopped tasks whole: its evidence is as fresh as the verdict. */
  let listedWhole = false;

  return {
    observe: async ({ service, newEvents, polledAt }) => {
      memory.note(service);
      const ours = service.deployments?.find((d) => d.id === target.deploymentId);
      // A listing that fails skips the round and stays due: the next round lists at once, not after the interval.
      listedWhole = false;
      const round = await stopped.poll(ecs, { deployment: ours, newEvents, polledAt });
      failedTasks = round.failedTasks;
      listedWhole = round.listedWhole;
      const partialList = round.partial;

      const observation: RolloutObservation = {
        service,
        failedTasks,
        settledFailures: round.settled,
        earlierTaskDefinitions: memory.earlierTaskDefinitions(),
        lastSeen: memory.lastSeen,
        awaitingRollbackMs: awaitingRollbackSince === undefined ? 0 : clock.now() - awaitingRollbackSince,
        blindSpot,
      };
      // An alarm that triggered shows only on the service deployment (alarms.status TRIGGERED, triggeredAlarmNames).
      if (alarmsOn(service) && ours?.status === 'PRIMARY' && clock.now() - alarmsReadAt >= ALARM_CHECK_INTERVAL_MS) {
        alarmsReadAt = clock.now();
        observation.serviceDeployment = await memory.readServiceDeployment(serviceDeployments, service);
      }
      let verdict = judgeRollout(target, observation);
      // Read what the verdict needs (each at most once a poll), then judge again.
      for (let round = 0; round < 2 && verdict.state === 'in-progress' && verdict.wants?.length; round++) {
        if (verdict.wants.includes('service-deployment') && observation.serviceDeployment === undefined) {
          const read = await memory.readServiceDeployment(serviceDeployments, service);
          // Throttled or failed: skip a round rather than decide on less.
          if (read === undefined) break;
          observation.serviceDeployment = read;
        }
        if (verdict.wants.includes('blind-spot') && blindSpot === undefined && verdict.deployment) {
          blindSpot = await explainBreakerBlindSpot(ecs, service, verdict.deployment, failedTasks);
          observation.blindSpot = blindSpot;
        }
        verdict = judgeRollout(target, observation);
      }
      if (verdict.state === 'in-progress' && verdict.awaiting === 'rollback') awaitingRollbackSince ??= clock.now();
      if ((verdict.state === 'in-progress' || verdict.state === 'succeeded') && verdict.deployment) {
        const progress = progressLine(verdict.deployment);
        if (progress !== lastProgress) log.info(progress);
        lastProgress = progress;
      }
      // Only part of the stopped tasks was read (a page or a batch failed): enough to see failures, not a success.
      if (verdict.state === 'succeeded' && partialList) return undefined;
      return verdict.state === 'in-progress' ? undefined : verdict;
    },

    conclude: async (verdict) => {
      // The evidence of a failure is read once more at the end, with the SDK's retries (no next poll follows), unless
      // the verdict's own round read it whole a moment ago (re-listing a long crash loop's pages under throttling
      // costs seconds for nothing); when ECS keeps failing the read, the tasks already seen are the evidence.
      if (!verdict || (verdict.state !== 'succeeded' && !listedWhole)) {
        try {
          failedTasks = await stopped.refresh();
        } catch (error) {
          if (!isTransientAwsError(error)) throw error;
          log.warning(
            `Could not list the stopped tasks once more (${errorMessage(error)}): reporting the ${failedTasks.length} seen before.`,
          );
        }
      }
      const known = {
        ...(memory.serviceDeploymentArn ? { serviceDeploymentArn: memory.serviceDeploymentArn } : {}),
        ...(stopped.startupHealth ? { startupHealth: stopped.startupHealth } : {}),
      };
      if (!verdict) return { status: 'timed-out', reason: `the deployment did not finish within the timeout`, failedTasks, ...known };
      return {
        ...known,
        status: verdict.state === 'in-progress' ? 'timed-out' : verdict.state,
        reason: 'reason' in verdict ? verdict.reason : undefined,
        cause: 'cause' in verdict ? verdict.cause : undefined,
        verdict,
        failedTasks,
      };
    },
  };
}

function alarmsOn(service: Service): boolean {
  const alarms = service.deploymentConfiguration?.alarms;
  return alarms?.enable === true && (alarms.alarmNames?.length ?? 0) > 0;
}

/**
 * What earlier polls showed that a later one may no longer: our deployment, its service deployment's ARN (the
 * service's currentServiceDeployment while ours is PRIMARY; ECS's own rollback stays in the same service
 * deployment), and the revisions the service ran before ours, which a rollback returns to.
 */
class DeploymentMemory {
  lastSeen?: Deployment;
  /** Learnt from the service's currentServiceDeployment while ours was PRIMARY (service-deployment-arn's value). */
  serviceDeploymentArn?: string;
  private readonly earlier = new Set<string>();

  constructor(private readonly deploymentId: string) {}

  note(service: Service): void {
    const ours = service.deployments?.find((d) => d.id === this.deploymentId);
    if (ours) this.lastSeen = ours;
    if (ours?.status === 'PRIMARY' && service.currentServiceDeployment) this.serviceDeploymentArn = service.currentServiceDeployment;
    // Before ours failed, every other deployment is one the service ran before it (a replacement would be PRIMARY).
    if (!ours || ours.status !== 'PRIMARY' || ours.rolloutState === 'FAILED') return;
    for (const deployment of service.deployments ?? []) {
      if (deployment.id !== this.deploymentId && deployment.taskDefinition) this.earlier.add(deployment.taskDefinition);
    }
  }

  /**
   * Our service deployment. When no poll saw ours PRIMARY (it failed, and ECS started rolling back, before the first
   * poll), the service's current one is taken if it was created with ours (both on ECS's clock): a rollback stays in
   * the service deployment it rolls back, while a newer deploy's was created later.
   */
  async readServiceDeployment(reader: ServiceDeploymentReader, service: Service): Promise<ServiceDeploymentRead | undefined> {
    if (this.serviceDeploymentArn) return reader.read(this.serviceDeploymentArn);
    const read = await reader.read(service.currentServiceDeployment);
    if (typeof read !== 'object') return read;
    const apart = Math.abs(epochMs(read.createdAt) - epochMs(this.lastSeen?.createdAt));
    if (!this.lastSeen?.createdAt || !read.createdAt || apart > SAME_CREATION_MS) return 'unavailable';
    this.serviceDeploymentArn = read.serviceDeploymentArn;
    return read;
  }

  earlierTaskDefinitions(): string[] {
    return [...this.earlier];
  }
}
