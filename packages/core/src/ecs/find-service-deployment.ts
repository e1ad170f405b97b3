import {
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import type { CancellationSignal } from '../common/cancellation';
import { formatDuration } from '../common/duration';
import { shortTaskDefinition } from '../common/identifiers';
import type { Logger } from '../common/logger';
import { poll, type Clock } from '../common/poll';
import { isTransientAwsError } from '../common/retry';
import { epochMs } from './times';

/** Which service deployment to look for: the one an update of the service to this revision started at `since`. */
export interface FindServiceDeploymentRequest {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  /** The runner's clock just before the update was sent. */
  since: number;
}

export interface FindOptions {
  log: Logger;
  clock: Clock;
  signal?: CancellationSignal;
  /** How long the service deployment may take to be listed; default FIND_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * How much earlier than the runner's clock ECS may date the service deployment the update created: the clocks
 * differ a little. A wider window would let an earlier deploy of the same revision (a forced redeploy) in.
 */
export const FIND_CLOCK_SKEW_MS = 5_000;
/** ListServiceDeployments may lag the update that created one: it is asked again, once a second, for this long. */
export const FIND_TIMEOUT_MS = 10_000;
const FIND_INTERVAL_MS = 1_000;
// At most 20 ARNs a DescribeServiceRevisions call; a window of seconds holds one or two deployments.
const DESCRIBE_BATCH = 20;
const MAX_LIST_CALLS = 5;

/**
 * The service deployment an update started. The UpdateService answer does not carry its ARN, and "the newest one"
 * is wrong when two deploys overlap: it is the one created after the update (give or take FIND_CLOCK_SKEW_MS)
 * whose target revision runs the task definition, the earliest such when several do. Listed again for a few
 * seconds while ECS has not listed it yet; undefined when it never shows.
 */
export async function findServiceDeployment(
  ecs: ECSClient,
  request: FindServiceDeploymentRequest,
  { log, clock, signal, timeoutMs = FIND_TIMEOUT_MS }: FindOptions,
): Promise<ServiceDeploymentBrief | undefined> {
  const taskDefinitions = new Map<string, string>();
  const result = await poll<ServiceDeploymentBrief>({
    intervalMs: FIND_INTERVAL_MS,
    timeoutMs,
    jitter: 0,
    clock,
    signal,
    check: async () => {
      try {
        const briefs = await listCreatedAfter(ecs, request, request.since - FIND_CLOCK_SKEW_MS);
        await resolveTaskDefinitions(ecs, briefs, taskDefinitions);
        return briefs.find((brief) => taskDefinitions.get(brief.targetServiceRevisionArn ?? '') === request.taskDefinitionArn);
      } catch (error) {
        // A throttled or failed read is its own retry: the next round asks again.
        if (isTransientAwsError(error)) return undefined;
        throw error;
      }
    },
  });
  if (result.done) return result.value;
  log.info(
    `ECS listed no service deployment of ${shortTaskDefinition(request.taskDefinitionArn)} created since the update within ${formatDuration(timeoutMs)}.`,
  );
  return undefined;
}

/** The service's deployments created after `after`, oldest first (ListServiceDeployments documents no order). */
async function listCreatedAfter(
  ecs: ECSClient,
  place: Pick<FindServiceDeploymentRequest, 'cluster' | 'service'>,
  after: number,
): Promise<ServiceDeploymentBrief[]> {
  const briefs = new Map<string, ServiceDeploymentBrief>();
  let nextToken: string | undefined;
  for (let call = 0; call < MAX_LIST_CALLS; call++) {
    const listed = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: place.cluster,
        service: place.service,
        createdAt: { after: new Date(after) },
        nextToken,
      }),
    );
    for (const brief of listed.serviceDeployments ?? []) if (brief.serviceDeploymentArn) briefs.set(brief.serviceDeploymentArn, brief);
    nextToken = listed.nextToken;
    if (!nextToken) break;
  }
  // ECS filters by createdAt; filtered here too, in case an implementation ignores the filter.
  return [...briefs.values()]
    .filter((brief) => epochMs(brief.createdAt) >= after)
    .sort((a, b) => epochMs(a.createdAt) - epochMs(b.createdAt));
}

/** Adds the task definition of each brief's target revision not resolved yet (DescribeServiceRevisions). */
async function resolveTaskDefinitions(ecs: ECSClient, briefs: ServiceDeploymentBrief[], found: Map<string, string>): Promise<void> {
  const missing = [...new Set(briefs.map((brief) => brief.targetServiceRevisionArn ?? ''))].filter((arn) => arn && !found.has(arn));
  for (let at = 0; at < missing.length; at += DESCRIBE_BATCH) {
    const answer = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: missing.slice(at, at + DESCRIBE_BATCH) }));
    for (const revision of answer.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn && revision.taskDefinition) found.set(revision.serviceRevisionArn, revision.taskDefinition);
    }
  }
}
