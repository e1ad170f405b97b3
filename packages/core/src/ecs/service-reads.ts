import { DescribeServicesCommand, type ECSClient, type Failure, type Service } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';

/** DescribeServices describes at most this many services a call. */
export const DESCRIBE_SERVICES_LIMIT = 10;

/** A service as DescribeServices answered for it: the service, or ECS's failure (MISSING, for one). */
export type ServiceAnswer = { service: Service } | { failure: Failure };

/**
 * Describes many services of one cluster in as few calls as ECS allows (10 a call), keyed by the name or ARN each
 * was asked by. A call that fails throws: the caller decides whether a round is skipped or a step refused.
 */
export async function describeServicesInChunks(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  options: { withoutRetries?: boolean } = {},
): Promise<Map<string, ServiceAnswer>> {
  const answers = new Map<string, ServiceAnswer>();
  const unique = [...new Set(services)];
  const chunks: string[][] = [];
  for (let at = 0; at < unique.length; at += DESCRIBE_SERVICES_LIMIT) chunks.push(unique.slice(at, at + DESCRIBE_SERVICES_LIMIT));
  await Promise.all(
    chunks.map(async (chunk) => {
      const command = new DescribeServicesCommand({ cluster, services: chunk });
      const answer = await ecs.send(options.withoutRetries ? withoutSdkRetries(command) : command);
      for (const asked of chunk) {
        const service = answer.services?.find((candidate) => sameService(asked, candidate.serviceArn, candidate.serviceName));
        if (service) {
          answers.set(asked, { service });
          continue;
        }
        const failure = answer.failures?.find((candidate) => sameService(asked, candidate.arn));
        answers.set(asked, { failure: failure ?? { arn: asked, reason: 'MISSING' } });
      }
    }),
  );
  return answers;
}

/** A service asked for by name or ARN is the one answered with that ARN or name. */
function sameService(asked: string, arn?: string, name?: string): boolean {
  if (asked === arn || asked === name) return true;
  const askedName = asked.split('/').pop();
  return askedName !== undefined && (askedName === name || askedName === arn?.split('/').pop());
}

/** Where a watch loop reads its service each round, when it does not call DescribeServices itself. */
export interface ServiceReads {
  /** The service as DescribeServices answers it now; undefined when ECS no longer has it. Throws what the call threw. */
  read(cluster: string, service: string): Promise<Service | undefined>;
  /** The watch of this service ended: the next rounds no longer wait for its read. */
  done(cluster: string, service: string): void;
}

/**
 * One DescribeServices round for many watch loops: the reads the loops ask for are gathered and sent together, 10
 * services a call, so a quiet round of N services costs ceil(N/10) calls rather than N. A round is sent once every
 * loop still watching has asked (they poll at the same pace, so they ask within their interval's jitter of one
 * another), or `gatherMs` after its first read, so a loop busy reading its stopped tasks never holds the others up
 * for long. Each call is sent without SDK retries, as a lone loop's is: a throttled round fails its reads, and each
 * loop skips the round.
 */
export class BatchedServiceReads implements ServiceReads {
  /** Reads the loops asked for, and the DescribeServices calls that answered them: for the log and the benchmarks. */
  reads = 0;
  calls = 0;
  private readonly watching = new Set<string>();
  private pending = new Map<string, Array<{ resolve(service: Service | undefined): void; reject(error: unknown): void }>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sendScheduled = false;

  constructor(
    private readonly ecs: ECSClient,
    private readonly gatherMs = 1000,
  ) {}

  /**
   * A service about to be watched: its first read is waited for too, so the first round goes together. Its
   * watch's end (or the caller, when it ends up watching nothing) calls done.
   */
  join(cluster: string, service: string): void {
    this.watching.add(keyOf(cluster, service));
  }

  read(cluster: string, service: string): Promise<Service | undefined> {
    const key = keyOf(cluster, service);
    this.watching.add(key);
    this.reads += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(key, [...(this.pending.get(key) ?? []), { resolve, reject }]);
      this.timer ??= setTimeout(() => this.send(), this.gatherMs);
      this.sendIfEveryoneAsked();
    });
  }

  done(cluster: string, service: string): void {
    this.watching.delete(keyOf(cluster, service));
    this.sendIfEveryoneAsked();
  }

  /** Reads asked for in the same turn of the event loop go in one round, even before every loop has joined. */
  private sendIfEveryoneAsked(): void {
    if (this.pending.size === 0 || !this.everyoneAsked() || this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => {
      this.sendScheduled = false;
      if (this.pending.size > 0 && this.everyoneAsked()) this.send();
    });
  }

  private everyoneAsked(): boolean {
    return [...this.watching].every((key) => this.pending.has(key));
  }

  /** Sends the round gathered so far, one call per cluster and 10 services, and answers each read from its call. */
  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const round = this.pending;
    this.pending = new Map();
    const byCluster = new Map<string, string[]>();
    for (const key of round.keys()) {
      const { cluster, service } = parseKey(key);
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), service]);
    }
    for (const [cluster, services] of byCluster) {
      for (let at = 0; at < services.length; at += DESCRIBE_SERVICES_LIMIT) {
        const chunk = services.slice(at, at + DESCRIBE_SERVICES_LIMIT);
        this.calls += 1;
        describeServicesInChunks(this.ecs, cluster, chunk, { withoutRetries: true }).then(
          (answers) => {
            for (const service of chunk) {
              const answer = answers.get(service);
              const found = answer && 'service' in answer ? answer.service : undefined;
              for (const waiter of round.get(keyOf(cluster, service)) ?? []) waiter.resolve(found);
            }
          },
          (error: unknown) => {
            for (const service of chunk) for (const waiter of round.get(keyOf(cluster, service)) ?? []) waiter.reject(error);
          },
        );
      }
    }
  }
}

// A service is watched in one cluster: the pair is its key (a newline appears in neither name nor ARN).
const keyOf = (cluster: string, service: string) => `${cluster}\n${service}`;
function parseKey(key: string): { cluster: string; service: string } {
  const [cluster, service] = key.split('\n');
  return { cluster: cluster as string, service: service as string };
}
