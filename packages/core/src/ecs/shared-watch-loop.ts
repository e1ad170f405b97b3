import { DescribeServicesCommand, type DescribeServicesCommandOutput, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';
import { sleepUnlessCancelled, throwIfCancelled, type CancellationSignal } from '../common/cancellation';
import { systemClock, type Clock } from '../common/poll';
import {
  rolloutPollInterval,
  ServiceFollower,
  type FollowLoop,
  type FollowRequest,
  type PollStep,
  type WatchDependencies,
  type WatchOutcome,
} from './watch-loop';

/** DescribeServices describes at most this many services a call (ECS API reference, `services`). */
export const DESCRIBE_SERVICES_BATCH = 10;

/** Share of the interval a round is moved by, as poll does, so many jobs polling one account do not call in lockstep. */
const JITTER = 0.2;

interface Watched {
  request: FollowRequest;
  follower: ServiceFollower<unknown>;
  deadline: number;
  polls: number;
  resolve(outcome: WatchOutcome): void;
  reject(error: unknown): void;
}

/**
 * One poll loop for the deployments of several services (deploy-ecs with many services): each round describes
 * every service still watched with one DescribeServices call per 10 services of a cluster, and hands each answer to
 * its service's own step (the mechanism's, as followDeployment would), so a quiet round costs ceil(N/10) calls, not N.
 * What a step reads beyond DescribeServices (stopped tasks, the service deployment) it reads only for its own
 * service, when that service changed. Each service keeps its own timeout, skipped reads and verdict; one that ends
 * leaves the loop, and the rest go on.
 */
export class SharedWatchLoop implements FollowLoop {
  private readonly watched: Watched[] = [];
  private running = false;
  private startedAt: number | undefined;
  private readonly clock: Clock;

  constructor(private readonly deps: { ecs: ECSClient; clock?: Clock; signal?: CancellationSignal; random?: () => number }) {
    this.clock = deps.clock ?? systemClock;
  }

  /** DescribeServices calls sent so far (for the log and the bench). */
  describeCalls = 0;
  /** Rounds polled so far. */
  rounds = 0;

  follow<J>(request: FollowRequest, step: PollStep<J>, deps: WatchDependencies): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve, reject) => {
      this.watched.push({
        request,
        follower: new ServiceFollower(request, step as PollStep<unknown>, deps.log),
        deadline: this.clock.now() + request.timeoutMs,
        polls: 0,
        resolve,
        reject,
      });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    this.startedAt ??= this.clock.now();
    try {
      // Services whose watches begin together (in one tick) share the first round, not only the next.
      await Promise.resolve();
      while (this.watched.length) {
        throwIfCancelled(this.deps.signal);
        await this.round();
        if (!this.watched.length) break;
        await sleepUnlessCancelled(this.clock, this.nextWait(), this.deps.signal);
      }
    } catch (error) {
      // Cancelled (or the loop itself broke): every watch still open ends with it.
      for (const watched of this.watched.splice(0)) watched.reject(error);
    } finally {
      this.running = false;
    }
  }

  /** The shortest wait any service asks for (one just skipped retries sooner), never past the nearest timeout. */
  private nextWait(): number {
    const now = this.clock.now();
    const elapsed = now - (this.startedAt ?? now);
    const interval = Math.min(...this.watched.map((w) => w.follower.intervalAfter(w.request.intervalMs ?? rolloutPollInterval(elapsed))));
    const spread = interval * JITTER * ((this.deps.random ?? Math.random)() * 2 - 1);
    const remaining = Math.min(...this.watched.map((w) => w.deadline - now));
    return Math.round(Math.max(0, Math.min(interval + spread, remaining)));
  }

  private async round(): Promise<void> {
    this.rounds += 1;
    const polledAt = this.clock.now();
    const current = [...this.watched];
    const reads = this.describeInBatches(current);
    await Promise.all(
      current.map(async (watched) => {
        watched.polls += 1;
        try {
          const judged = await watched.follower.round(reads.get(watched) as () => Promise<Service | undefined>, polledAt);
          if (judged !== undefined) this.finish(watched, judged);
          else if (this.clock.now() >= watched.deadline) this.finish(watched, undefined);
        } catch (error) {
          this.leave(watched);
          watched.reject(error);
        }
      }),
    );
  }

  /** One DescribeServices call per 10 services of a cluster; each service's read picks its own from its batch's answer. */
  private describeInBatches(current: Watched[]): Map<Watched, () => Promise<Service | undefined>> {
    const reads = new Map<Watched, () => Promise<Service | undefined>>();
    const byCluster = new Map<string, Watched[]>();
    for (const watched of current) byCluster.set(watched.request.cluster, [...(byCluster.get(watched.request.cluster) ?? []), watched]);
    for (const [cluster, all] of byCluster) {
      for (let start = 0; start < all.length; start += DESCRIBE_SERVICES_BATCH) {
        const batch = all.slice(start, start + DESCRIBE_SERVICES_BATCH);
        this.describeCalls += 1;
        const describe = new DescribeServicesCommand({ cluster, services: batch.map((w) => w.request.service) });
        const answer: Promise<DescribeServicesCommandOutput> = (async () => this.deps.ecs.send(withoutSdkRetries(describe)))();
        // Each service's read awaits it; this keeps a rejection seen before then from counting as unhandled.
        answer.catch(() => undefined);
        for (const watched of batch) reads.set(watched, async () => findService((await answer).services, watched.request.service));
      }
    }
    return reads;
  }

  /** The watch ends: its step concludes (it may read the evidence once more) while the others go on polling. */
  private finish(watched: Watched, judged: unknown): void {
    this.leave(watched);
    watched.follower.outcome(judged, watched.polls, this.clock).then(watched.resolve, watched.reject);
  }

  private leave(watched: Watched): void {
    const index = this.watched.indexOf(watched);
    if (index >= 0) this.watched.splice(index, 1);
  }
}

/** The service a name or ARN given to DescribeServices stands for in its answer. */
function findService(services: Service[] | undefined, nameOrArn: string): Service | undefined {
  return services?.find((service) => service.serviceName === nameOrArn || service.serviceArn === nameOrArn);
}
