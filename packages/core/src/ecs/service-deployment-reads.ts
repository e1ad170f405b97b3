import { DescribeServiceDeploymentsCommand, type ECSClient, type Failure, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { withoutSdkRetries } from '../common/aws';
import { isAccessDenied } from '../common/errors';
import { ReadRounds } from './read-rounds';
import type { BatchedServiceReads } from './service-reads';

/** DescribeServiceDeployments describes at most this many service deployments a call (ECS API reference: "You can specify a maximum of 20 ARNs"). */
export const DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT = 20;

/**
 * A service deployment as DescribeServiceDeployments answered for it: the deployment, ECS's failure (MISSING, for
 * one), or the error its own call threw (see BatchedServiceDeploymentReads, when a shared call is refused).
 */
export type ServiceDeploymentAnswer = { serviceDeployment: ServiceDeployment } | { failure: Failure } | { error: unknown };

/**
 * One DescribeServiceDeployments call for these ARNs (at most 20), without SDK retries (a watch's next round is its
 * retry), each ARN's answer. A call that fails throws.
 */
export async function describeServiceDeployments(ecs: ECSClient, arns: readonly string[]): Promise<Map<string, ServiceDeploymentAnswer>> {
  const answer = await ecs.send(withoutSdkRetries(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [...arns] })));
  const answers = new Map<string, ServiceDeploymentAnswer>();
  for (const arn of arns) {
    const serviceDeployment = answer.serviceDeployments?.find((found) => found.serviceDeploymentArn === arn);
    if (serviceDeployment) {
      answers.set(arn, { serviceDeployment });
      continue;
    }
    // A call for one ARN: its failure is that ARN's, whatever ARN ECS wrote in it.
    const failure = answer.failures?.find((candidate) => candidate.arn === arn) ?? (arns.length === 1 ? answer.failures?.[0] : undefined);
    answers.set(arn, { failure: failure ?? { arn, reason: 'MISSING' } });
  }
  return answers;
}

/** Where a watch reads its service deployment each round, when it does not call DescribeServiceDeployments itself. */
export interface ServiceDeploymentReads {
  /**
   * A watch of this service deployment begins: the rounds wait for its reads. Its service, when its poll reads the
   * service first in a shared DescribeServices round: that round does not wait for it while it waits in this one.
   */
  join(arn: string, service?: { cluster: string; service: string }): void;
  /** The service deployment as DescribeServiceDeployments answers it now. Throws what the shared call threw. */
  read(arn: string): Promise<ServiceDeploymentAnswer>;
  /** Its watch ended: the next rounds no longer wait for its read. */
  done(arn: string): void;
}

/**
 * One DescribeServiceDeployments round for the watches of several blue/green, linear or canary services in one
 * step (ReadRounds): 20 ARNs a call, so a round of N service deployments costs ceil(N/20) calls rather than N. The
 * call takes no cluster, and the ARNs of services of several clusters go together. IAM authorizes it on each ARN it
 * names, so a role allowed some of the service deployments and not others is refused the whole call: each ARN of a
 * refused call is then read in a call of its own, for each watch to get the answer its lone call would have had.
 */
export class BatchedServiceDeploymentReads implements ServiceDeploymentReads {
  private readonly rounds: ReadRounds<ServiceDeploymentAnswer>;
  /** The ARN each joined service's watch follows, by cluster and service. */
  private readonly arnOf = new Map<string, string>();

  /**
   * `serviceReads`: the shared DescribeServices round each watch's poll reads its service in just before this
   * one. It is told not to wait for a watch while that watch waits here (ReadRounds.dontWaitWhile).
   */
  constructor(
    ecs: ECSClient,
    gatherMs = 1000,
    private readonly serviceReads?: BatchedServiceReads,
  ) {
    this.rounds = new ReadRounds(
      { limit: DESCRIBE_SERVICE_DEPLOYMENTS_LIMIT, send: (_all, arns) => describeOrEachAlone(ecs, arns) },
      gatherMs,
    );
    serviceReads?.dontWaitWhile((cluster, service) => {
      const arn = this.arnOf.get(serviceKey(cluster, service));
      return arn !== undefined && this.rounds.asking(ALL, arn);
    });
  }

  /** Reads the watches asked for, and the shared DescribeServiceDeployments calls that answered them (not those sent alone after a refusal). */
  get reads(): number {
    return this.rounds.reads;
  }

  get calls(): number {
    return this.rounds.calls;
  }

  join(arn: string, service?: { cluster: string; service: string }): void {
    if (service) this.arnOf.set(serviceKey(service.cluster, service.service), arn);
    this.rounds.join(ALL, arn);
  }

  async read(arn: string): Promise<ServiceDeploymentAnswer> {
    const answer = this.rounds.read(ALL, arn);
    // Its watch now waits here: the DescribeServices round may have every read it still waits for.
    this.serviceReads?.recheck();
    return (await answer) ?? { failure: { arn, reason: 'MISSING' } };
  }

  done(arn: string): void {
    for (const [service, followed] of this.arnOf) if (followed === arn) this.arnOf.delete(service);
    this.rounds.done(ALL, arn);
  }
}

const serviceKey = (cluster: string, service: string) => `${cluster}\n${service}`;

// DescribeServiceDeployments takes no cluster: every ARN is of the one group.
const ALL = '';

async function describeOrEachAlone(ecs: ECSClient, arns: string[]): Promise<Map<string, ServiceDeploymentAnswer>> {
  try {
    return await describeServiceDeployments(ecs, arns);
  } catch (error) {
    if (arns.length === 1 || !isAccessDenied(error)) throw error;
    const alone = await Promise.all(
      arns.map(async (arn): Promise<[string, ServiceDeploymentAnswer]> => {
        try {
          return [arn, (await describeServiceDeployments(ecs, [arn])).get(arn) as ServiceDeploymentAnswer];
        } catch (own) {
          return [arn, { error: own }];
        }
      }),
    );
    return new Map(alone);
  }
}
