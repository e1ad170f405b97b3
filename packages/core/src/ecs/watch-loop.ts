import { DescribeServicesCommand, type ECSClient, type Service, type ServiceEvent, type Task } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';
import type { CancellationSignal } from '../common/cancellation';
import type { Logger } from '../common/logger';
import { poll, systemClock, type Clock } from '../common/poll';
import { SkippedReads } from '../common/skipped-reads';
import type { ServiceReads } from './service-reads';
import type { RolloutVerdict } from './rollout';
import type { StartupHealth } from './startup-kill-hint';

/**
 * `baking` and `paused` end a watch early, green, when the step was asked to return at a stage (wait-until): the
 * deployment goes on. Only mechanisms with lifecycle stages end with them.
 */
export type RolloutStatus = 'succeeded' | 'failed' | 'rolled-back' | 'timed-out' | 'baking' | 'paused';

/** Where a watch may end before the deployment does: `complete` (the end), `bake` (production traffic on the new revision, bake begun), `paused` (a PAUSE hook awaits action). */
export type WaitUntil = 'complete' | 'bake' | 'paused';

/** One lifecycle stage as a watch saw it begin, with the traffic weights then. */
export interface StageSeen {
  at: number;
  stage: string;
  status?: string;
  productionTrafficWeight?: number;
  testTrafficWeight?: number;
  /** The line to show for it, when the mechanism words its stages itself (CodeDeploy's lifecycle events). */
  line?: string;
}

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
  /** The service deployment the watch followed, when one was known (empty for the CODE_DEPLOY controller). */
  serviceDeploymentArn?: string;
  /** The PAUSE hook awaiting action, when the watch ended `paused`. */
  hookId?: string;
  /** The task definition ECS rolled the service back to, when the mechanism knows it (the primary deployment's otherwise). */
  rolledBackTo?: string;
  /**
   * The mechanism's own words, when ECS's deployment counts do not tell the story (a CodeDeploy deployment runs task
   * sets): where the deployment stands (for success and timeout), the sentence after the subject for an early green
   * end (baking, paused), what a person can do next after a failure, and who rolls back (default ECS).
   */
  progress?: string;
  greenNote?: string;
  advice?: string;
  rolledBackBy?: string;
  /** The lifecycle stages seen, oldest first; rolling updates have none. */
  stages?: StageSeen[];
  service?: Service;
  failedTasks: Task[];
  /** When the new revision's running tasks were first seen healthy, once tasks were stopped by health checks. */
  startupHealth?: StartupHealth;
  /** Service events since the update, oldest first. */
  events: ServiceEvent[];
  finishedAt: number;
  polls: number;
  /** Polls skipped because a read was throttled or failed transiently (counted in polls too). */
  skippedPolls?: number;
}

export interface WatchDependencies {
  ecs: ECSClient;
  log: Logger;
  clock?: Clock;
  /** Aborted when the workflow is cancelled: the loop throws WorkflowCancelled at once, with no further call. */
  signal?: CancellationSignal;
  /** Where each round's DescribeServices goes when several loops share one (BatchedServiceReads); by default a call of its own. */
  serviceReads?: ServiceReads;
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
  /** A fixed interval; by default rolloutPollInterval's, which slows down as a rollout grows long. */
  intervalMs?: number;
}

/**
 * How often a rollout is polled, by how long it has been watched. Once a second for the first 3 minutes: cheap for
 * ECS, and most rollouts end within them, so success (or a crash loop) is seen within a second of ECS showing it.
 * A rollout still going after that is a long one (a slow start, a long deregistration delay): every 2 s until 10
 * minutes, then every 5 s, so a long deploy does not spend an account's API budget other pipelines share.
 */
export function rolloutPollInterval(elapsedMs: number): number {
  if (elapsedMs < 3 * 60_000) return 1000;
  if (elapsedMs < 10 * 60_000) return 2000;
  return 5000;
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
  conclude(judgement: J | undefined): Promise<Omit<WatchOutcome, 'service' | 'events' | 'finishedAt' | 'polls' | 'skippedPolls'>>;
}

/**
 * The one poll loop every deployment mechanism is watched with: one DescribeServices call a poll, the service's
 * events streamed into the log as they happen (so a person watching the job sees what ECS sees), the timeout, the
 * interval and the count of polls. The mechanism's step decides what each answer means.
 *
 * A round whose read is throttled or fails transiently (a 5xx, a timeout, a reset connection), whether
 * DescribeServices or a read the step makes, is skipped whole: the step never judges half a round, and a skipped
 * round counts as nothing (neither "no failed tasks" nor "steady"). DescribeServices is sent without SDK retries,
 * since the next tick is its retry and the SDK's backoff would only make the watcher late.
 */
export async function followDeployment<J>(request: FollowRequest, step: PollStep<J>, deps: WatchDependencies): Promise<WatchOutcome> {
  const { ecs, log, clock = systemClock } = deps;
  const events = new EventFollower(request.startedAt, new Set(request.knownEventIds ?? []), log);
  const skipped = new SkippedReads(log);
  let lastService: Service | undefined;
  const readService = async (): Promise<Service | undefined> => {
    if (deps.serviceReads) return deps.serviceReads.read(request.cluster, request.service);
    const describe = new DescribeServicesCommand({ cluster: request.cluster, services: [request.service] });
    return (await ecs.send(withoutSdkRetries(describe))).services?.[0];
  };
  const result = await poll<J>({
    intervalMs: (elapsedMs) => skipped.intervalAfter(request.intervalMs ?? rolloutPollInterval(elapsedMs)),
    timeoutMs: request.timeoutMs,
    clock,
    signal: deps.signal,
    check: async () => {
      const polledAt = clock.now();
      try {
        const service = await readService();
        if (!service) throw new Error(`Service ${request.service} disappeared from cluster ${request.cluster} during the deploy.`);
        lastService = service;
        const newEvents = events.follow(service.events ?? []);
        const judged = await step.observe({ service, newEvents, polledAt });
        skipped.read();
        return judged;
      } catch (error) {
        if (skipped.skip(error)) return undefined;
        throw error;
      }
    },
  }).finally(() => deps.serviceReads?.done(request.cluster, request.service));
  const concluded = await step.conclude(result.done ? result.value : undefined);
  const counts = { polls: result.attempts, ...(skipped.count > 0 ? { skippedPolls: skipped.count } : {}) };
  return { ...concluded, service: lastService, events: events.seen(), finishedAt: clock.now(), ...counts };
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
