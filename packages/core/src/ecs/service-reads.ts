import { DescribeServicesCommand, type ECSClient, type Failure, type Service } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';
import { ReadRounds } from './read-rounds';

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
 * One DescribeServices round for many watch loops (ReadRounds): a quiet round of N services costs ceil(N/10) calls
 * rather than N. Each call is sent without SDK retries, as a lone loop's is: a throttled round fails its reads, and
 * each loop skips the round.
 */
export class BatchedServiceReads implements ServiceReads {
  private readonly rounds: ReadRounds<ServiceAnswer>;

  constructor(ecs: ECSClient, gatherMs = 1000) {
    const describe = (cluster: string, services: string[]) => describeServicesInChunks(ecs, cluster, services, { withoutRetries: true });
    this.rounds = new ReadRounds({ limit: DESCRIBE_SERVICES_LIMIT, send: describe }, gatherMs);
  }

  /** Reads the loops asked for, and the DescribeServices calls that answered them: for the log and the benchmarks. */
  get reads(): number {
    return this.rounds.reads;
  }

  get calls(): number {
    return this.rounds.calls;
  }

  /** A service about to be watched: its first read is waited for too, so the first round goes together. */
  join(cluster: string, service: string): void {
    this.rounds.join(cluster, service);
  }

  async read(cluster: string, service: string): Promise<Service | undefined> {
    const answer = await this.rounds.read(cluster, service);
    return answer && 'service' in answer ? answer.service : undefined;
  }

  done(cluster: string, service: string): void {
    this.rounds.done(cluster, service);
  }

  /** Services whose loops wait, at times, in a later round of their poll (ReadRounds.dontWaitWhile). */
  dontWaitWhile(busy: (cluster: string, service: string) => boolean): void {
    this.rounds.dontWaitWhile(busy);
  }

  recheck(): void {
    this.rounds.recheck();
  }
}
