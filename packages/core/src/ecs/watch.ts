import { DescribeServicesCommand, type ECSClient, type Service, type ServiceEvent, type Task } from '@aws-sdk/client-ecs';
import type { Logger } from '../logger';
import { poll, systemClock, type Clock } from '../poll';
import { isFailedTask, judgeRollout, progressLine, type RolloutTarget, type RolloutVerdict } from './rollout';
import { StoppedTaskTracker } from './stopped-tasks';

export type RolloutStatus = 'succeeded' | 'failed' | 'rolled-back' | 'timed-out';

export interface WatchRequest {
  cluster: string;
  service: string;
  target: RolloutTarget;
  /** When UpdateService was called; events before it belong to earlier deploys. */
  startedAt: number;
  /** IDs of the events UpdateService's answer already held: they belong to earlier deploys, whatever their clocks say. */
  knownEventIds?: string[];
  /** The service's stopped task ARNs listed before the deployment was created: none is its, none is described. */
  stoppedBefore?: string[];
  timeoutMs: number;
  /** About once a second: cheap for ECS, and fast enough that success is seen within a second. */
  intervalMs?: number;
}

export interface WatchOutcome {
  status: RolloutStatus;
  reason?: string;
  verdict?: RolloutVerdict;
  service?: Service;
  failedTasks: Task[];
  /** Service events since the update, oldest first. */
  events: ServiceEvent[];
  finishedAt: number;
  polls: number;
}

export interface WatchDependencies {
  ecs: ECSClient;
  log: Logger;
  clock?: Clock;
}

/**
 * Watches one rolling deployment until ECS's own signals settle it (see judgeRollout), streaming service
 * events into the log as they happen so a person watching the job sees what ECS sees.
 */
export async function watchRollout(request: WatchRequest, deps: WatchDependencies): Promise<WatchOutcome> {
  const { ecs, log, clock = systemClock } = deps;
  const tracker = new StoppedTaskTracker(ecs, request.cluster, request.service, request.target.deploymentId, request.stoppedBefore);
  const events = new EventFollower(request.startedAt, new Set(request.knownEventIds ?? []), log);
  let lastService: Service | undefined;
  let lastProgress = '';
  let failedTasks: Task[] = [];
  let knownFailedCount = 0;

  const result = await poll<RolloutVerdict>({
    intervalMs: request.intervalMs ?? 1000,
    timeoutMs: request.timeoutMs,
    clock,
    check: async () => {
      const answer = await ecs.send(new DescribeServicesCommand({ cluster: request.cluster, services: [request.service] }));
      const service = answer.services?.[0];
      if (!service) throw new Error(`Service ${request.service} disappeared from cluster ${request.cluster} during the deploy.`);
      lastService = service;
      events.follow(service.events ?? []);
      const ours = service.deployments?.find((d) => d.id === request.target.deploymentId);
      // Without a circuit breaker we count failures ourselves; with one, ECS's failedTasks says when to look.
      const reportedFailures = ours?.failedTasks ?? 0;
      if (!request.target.circuitBreaker.enable || reportedFailures > knownFailedCount) {
        failedTasks = (await tracker.refresh()).filter(isFailedTask);
        knownFailedCount = reportedFailures;
      }
      const verdict = judgeRollout(request.target, { service, failedTasks });
      if (verdict.state === 'in-progress' || verdict.state === 'succeeded') {
        const progress = progressLine(verdict.deployment);
        if (progress !== lastProgress) log.info(progress);
        lastProgress = progress;
      }
      return verdict.state === 'in-progress' ? undefined : verdict;
    },
  });

  const finishedAt = clock.now();
  if (!result.done) {
    return {
      status: 'timed-out',
      reason: `the deployment did not finish within the timeout`,
      service: lastService,
      failedTasks,
      events: events.seen(),
      finishedAt,
      polls: result.attempts,
    };
  }
  const verdict = result.value;
  if (verdict.state !== 'succeeded') failedTasks = (await tracker.refresh()).filter(isFailedTask);
  return {
    status: verdict.state === 'in-progress' ? 'timed-out' : verdict.state,
    reason: 'reason' in verdict ? verdict.reason : undefined,
    verdict,
    service: lastService,
    failedTasks,
    events: events.seen(),
    finishedAt,
    polls: result.attempts,
  };
}

/** Prints each service event once, in the order ECS created them. */
class EventFollower {
  private readonly printed = new Map<string, ServiceEvent>();

  constructor(
    private readonly since: number,
    private readonly earlier: Set<string>,
    private readonly log: Logger,
  ) {}

  follow(newestFirst: ServiceEvent[]): void {
    // A minute of slack for clock skew between the runner and AWS; known IDs exclude the earlier events exactly.
    const fresh = newestFirst
      .filter((event) => event.id && !this.printed.has(event.id) && !this.earlier.has(event.id) && eventTime(event) >= this.since - 60_000)
      .reverse();
    for (const event of fresh) {
      this.printed.set(event.id as string, event);
      this.log.info(`ECS: ${event.message}`);
    }
  }

  seen(): ServiceEvent[] {
    return [...this.printed.values()].sort((a, b) => eventTime(a) - eventTime(b));
  }
}

function eventTime(event: ServiceEvent): number {
  return event.createdAt ? new Date(event.createdAt).getTime() : 0;
}
