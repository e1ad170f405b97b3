import { DescribeServicesCommand, type ECSClient, type Service, type ServiceEvent, type Task } from '@aws-sdk/client-ecs';
import type { CancellationSignal } from '../common/cancellation';
import type { Logger } from '../common/logger';
import { poll, systemClock, type Clock } from '../common/poll';
import type { RolloutVerdict } from './rollout';

export type RolloutStatus = 'succeeded' | 'failed' | 'rolled-back' | 'timed-out';

/** What every deployment mechanism's watch ends with; the reports are written from it. */
export interface WatchOutcome {
  status: RolloutStatus;
  /** The cause in words. */
  reason?: string;
  /** Who or what ended the deployment (a rolling verdict's RolloutCause), when something did. */
  cause?: string;
  verdict?: RolloutVerdict;
  /** The service deployment's lifecycle stage when the watch ended; rolling updates have none. */
  stage?: string;
  /** Percent of production and test traffic on the new revision when the watch ended; rolling updates shift none. */
  productionTrafficWeight?: number;
  testTrafficWeight?: number;
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
  /** Aborted when the workflow is cancelled: the loop throws WorkflowCancelled at once, with no further call. */
  signal?: CancellationSignal;
}

/** Which service the loop follows, from when, and for how long. */
export interface FollowRequest {
  cluster: string;
  service: string;
  /** When UpdateService was called; events before it belong to earlier deploys. */
  startedAt: number;
  /** IDs of the events UpdateService's answer already held: they belong to earlier deploys, whatever their clocks say. */
  knownEventIds?: string[];
  timeoutMs: number;
  /** About once a second: cheap for ECS, and fast enough that success is seen within a second. */
  intervalMs?: number;
}

/** One DescribeServices answer, as the loop hands it to a mechanism's step. */
export interface PolledService {
  service: Service;
  /** Service events first seen in this answer. */
  newEvents: number;
  /** The clock just before DescribeServices was called. */
  polledAt: number;
}

/** What the loop leaves to a mechanism: judging each poll, and the verdict's part of the outcome at the end. */
export interface PollStep<J> {
  /** Judges one poll; undefined while the deployment is still under way. */
  observe(polled: PolledService): Promise<J | undefined>;
  /** The outcome's verdict fields, once a judgement ended the loop (or, undefined, once the timeout passed first). */
  conclude(judgement: J | undefined): Promise<Omit<WatchOutcome, 'service' | 'events' | 'finishedAt' | 'polls'>>;
}

/**
 * The one poll loop every deployment mechanism is watched with: one DescribeServices call a poll, the service's
 * events streamed into the log as they happen (so a person watching the job sees what ECS sees), the timeout, the
 * interval and the count of polls. The mechanism's step decides what each answer means.
 */
export async function followDeployment<J>(request: FollowRequest, step: PollStep<J>, deps: WatchDependencies): Promise<WatchOutcome> {
  const { ecs, log, clock = systemClock } = deps;
  const events = new EventFollower(request.startedAt, new Set(request.knownEventIds ?? []), log);
  let lastService: Service | undefined;
  const result = await poll<J>({
    intervalMs: request.intervalMs ?? 1000,
    timeoutMs: request.timeoutMs,
    clock,
    signal: deps.signal,
    check: async () => {
      const polledAt = clock.now();
      const answer = await ecs.send(new DescribeServicesCommand({ cluster: request.cluster, services: [request.service] }));
      const service = answer.services?.[0];
      if (!service) throw new Error(`Service ${request.service} disappeared from cluster ${request.cluster} during the deploy.`);
      lastService = service;
      const newEvents = events.follow(service.events ?? []);
      return step.observe({ service, newEvents, polledAt });
    },
  });
  const concluded = await step.conclude(result.done ? result.value : undefined);
  return { ...concluded, service: lastService, events: events.seen(), finishedAt: clock.now(), polls: result.attempts };
}

/** Prints each service event once, in the order ECS created them. */
class EventFollower {
  private readonly printed = new Map<string, ServiceEvent>();

  constructor(
    private readonly since: number,
    private readonly earlier: Set<string>,
    private readonly log: Logger,
  ) {}

  /** Prints the events not seen before and says how many there were. */
  follow(newestFirst: ServiceEvent[]): number {
    // A minute of slack for clock skew between the runner and AWS; known IDs exclude the earlier events exactly.
    const fresh = newestFirst
      .filter((event) => event.id && !this.printed.has(event.id) && !this.earlier.has(event.id) && eventTime(event) >= this.since - 60_000)
      .reverse();
    for (const event of fresh) {
      this.printed.set(event.id as string, event);
      this.log.info(`ECS: ${event.message}`);
    }
    return fresh.length;
  }

  seen(): ServiceEvent[] {
    return [...this.printed.values()].sort((a, b) => eventTime(a) - eventTime(b));
  }
}

function eventTime(event: ServiceEvent): number {
  return event.createdAt ? new Date(event.createdAt).getTime() : 0;
}
