import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { errorMessage } from '../common/errors';
import { primaryDeployment } from './service';
import type { Logger } from '../common/logger';

/** The newest service deployment: the release a rollback moves away from. */
export interface CurrentDeployment {
  serviceDeploymentArn?: string;
  status?: string;
  /**
   * The revision this deployment leaves the service on: its target, except after ROLLBACK_SUCCESSFUL, where it is
   * the revision ECS returned to (`rollback.serviceRevisionArn`).
   */
  taskDefinitionArn?: string;
  /** The revision the deployment set out to deploy: the release itself, even when ECS rolled it back. */
  targetTaskDefinitionArn?: string;
  createdAt?: Date;
  finishedAt?: Date;
  /** A deployment of another deployment controller (a CodeDeploy deployment id) when the release is not an ECS service deployment. */
  deploymentId?: string;
  /** Whether that deployment is still under way (set with deploymentId). */
  inFlight?: boolean;
  /**
   * Set when the platform is rolling the release back, or rolled it back, on its own (a CodeDeploy rollback
   * deployment), in words for the log and the summary: the release is targetTaskDefinitionArn, the rollback's
   * revision taskDefinitionArn.
   */
  ownRollback?: string;
}

export interface CompletedRevision {
  taskDefinitionArn: string;
  /** The service deployment that completed it, when the history API said so. */
  serviceDeploymentArn?: string;
  finishedAt?: Date;
  /** One phrase saying where it was found, for the log and the job summary. */
  evidence: string;
}

export interface DeploymentHistory {
  /** Where `current` came from; `previous.evidence` says where `previous` was found. */
  source: 'service-deployments' | 'service' | 'codedeploy-deployments';
  /**
   * The revision the service is on or moving to, when Service.taskDefinition does not say it: a CODE_DEPLOY
   * service's taskDefinition is its PRIMARY task set's, which stays the original's until production traffic moves.
   */
  destination?: string;
  current?: CurrentDeployment;
  /** The last revision that completed a deployment before the current one, other than the release itself. */
  previous?: CompletedRevision;
  /**
   * The newest revision that completed a deployment before the current one, even when it is the release's own
   * revision (a forced redeploy): the revision ECS's own rollback (StopServiceDeployment ROLLBACK, the circuit
   * breaker) returns to. Only from the service deployments API.
   */
  lastCompleted?: CompletedRevision;
}

/** Service deployments ECS is still working on; only these can be stopped with ROLLBACK. */
export const IN_PROGRESS_SERVICE_DEPLOYMENT = new Set(['PENDING', 'IN_PROGRESS']);

// ListServiceDeployments documents no order and may answer short, even empty, pages that still carry a nextToken
// (API reference): every page is read, up to a bound, and the briefs are sorted by createdAt. ECS keeps 90 days of
// service deployments and none from before 25 October 2024, so ten pages of 100 is more than any service holds.
const LIST_PAGE_SIZE = 100;
const MAX_LIST_CALLS = 10;
// DescribeServiceDeployments and DescribeServiceRevisions take up to 20 ARNs; five batches reach back 100
// deployments, far beyond any revision worth returning to.
const DESCRIBE_BATCH = 20;
const MAX_DESCRIBE_BATCHES = 5;

const HISTORY_LIMITS = 'ECS keeps service deployments for 90 days, none from before 25 October 2024';

/**
 * The release and the last revision that completed a deployment before it, from the service deployments API
 * (ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions). "Completed" is a SUCCESSFUL
 * service deployment's target, the revision a ROLLBACK_SUCCESSFUL one returned to, or a revision listed in a
 * deployment's `sourceServiceRevisions` (serving when it started) that one of those completed: a source alone
 * may be a broken revision still running. Revisions equal to the release's are skipped for `previous`, so a forced
 * redeploy of the same revision is not a place to go back to.
 *
 * Never "the second deployment of DescribeServices": after a finished deploy the service lists only one. When the
 * history API is unavailable, or holds no such revision (a service older than it, a deploy more than 90 days ago,
 * a role without the permission), the service's own deployments are the fallback for what is missing: during a
 * rollout the older, COMPLETED one is still listed.
 */
export async function readDeploymentHistory(ecs: ECSClient, cluster: string, service: Service, log: Logger): Promise<DeploymentHistory> {
  let history: DeploymentHistory | undefined;
  try {
    history = await fromServiceDeployments(ecs, cluster, service.serviceArn ?? service.serviceName ?? '');
    if (!history.current)
      log.info('ListServiceDeployments returned no deployments for this service; reading its deployments from DescribeServices instead.');
  } catch (error) {
    log.warning(
      `Could not read the service's deployment history (${(error as Error).name}: ${errorMessage(error)}); ` +
        'falling back to the deployments DescribeServices lists. Grant ecs:ListServiceDeployments, ecs:DescribeServiceDeployments and ecs:DescribeServiceRevisions for a complete history.',
    );
  }
  if (!history?.current) return fromDeploymentsOfService(service);
  if (!history.previous) {
    const release = history.current.targetTaskDefinitionArn ?? history.current.taskDefinitionArn;
    const previous = fromDeploymentsOfService(service, release).previous;
    if (previous) {
      log.info(
        `The service's deployment history holds no revision that completed before the current one (${HISTORY_LIMITS}); DescribeServices still lists one.`,
      );
      history.previous = previous;
    }
  }
  return history;
}

/** One service deployment: its brief from the list and, once asked, its description (absent when MISSING). */
interface Entry {
  brief: ServiceDeploymentBrief;
  described?: ServiceDeployment;
}

/** A revision that completed a deployment, in the order found: newest first. */
interface Candidate {
  revisionArn: string;
  entry: Entry;
  /** The entry completed it itself (rather than starting from it). */
  own: boolean;
  /** The deployment that completed it. */
  completedIn: Entry;
  evidence: string;
}

async function fromServiceDeployments(ecs: ECSClient, cluster: string, service: string): Promise<DeploymentHistory> {
  const entries = (await listNewestFirst(ecs, cluster, service)).map((brief): Entry => ({ brief }));
  const history: DeploymentHistory = { source: 'service-deployments' };
  if (entries.length === 0) return history;
  const taskDefinitions = new Map<string, string>();
  for (let batch = 0; batch < MAX_DESCRIBE_BATCHES && batch * DESCRIBE_BATCH < entries.length; batch++) {
    await describe(ecs, entries.slice(batch * DESCRIBE_BATCH, (batch + 1) * DESCRIBE_BATCH));
    const read = entries.slice(0, (batch + 1) * DESCRIBE_BATCH);
    const candidates = candidatesOf(read);
    await resolveTaskDefinitions(ecs, [...revisionsOfCurrent(read[0]), ...candidates.map((c) => c.revisionArn)], taskDefinitions);
    history.current = currentOf(read[0], taskDefinitions);
    const found = candidates
      .map((candidate) => ({ candidate, revision: completedRevision(candidate, taskDefinitions) }))
      .filter((c): c is { candidate: Candidate; revision: CompletedRevision } => Boolean(c.revision));
    // The current deployment's own rollback is not "before" it: ECS's rollback of the release goes elsewhere.
    history.lastCompleted = found.find(({ candidate }) => !(candidate.entry === read[0] && candidate.own))?.revision;
    history.previous = found.find(({ revision }) => revision.taskDefinitionArn !== history.current?.targetTaskDefinitionArn)?.revision;
    if (history.previous) break;
  }
  return history;
}

async function listNewestFirst(ecs: ECSClient, cluster: string, service: string): Promise<ServiceDeploymentBrief[]> {
  const briefs = new Map<string, ServiceDeploymentBrief>();
  let nextToken: string | undefined;
  for (let call = 0; call < MAX_LIST_CALLS; call++) {
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: LIST_PAGE_SIZE, nextToken }));
    for (const brief of listed.serviceDeployments ?? []) if (brief.serviceDeploymentArn) briefs.set(brief.serviceDeploymentArn, brief);
    nextToken = listed.nextToken;
    if (!nextToken) break;
  }
  // A stable sort: briefs without createdAt (never seen) keep their place after the dated ones.
  return [...briefs.values()].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/** Fills in each entry's description; an old deployment ECS answers MISSING for keeps only its brief. */
async function describe(ecs: ECSClient, entries: Entry[]): Promise<void> {
  const answer = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: entries.map((entry) => entry.brief.serviceDeploymentArn as string) }),
  );
  const byArn = new Map((answer.serviceDeployments ?? []).map((sd) => [sd.serviceDeploymentArn, sd]));
  for (const entry of entries) entry.described = byArn.get(entry.brief.serviceDeploymentArn);
}

const statusOf = (entry: Entry) => entry.described?.status ?? entry.brief.status;
const targetOf = (entry: Entry) => entry.described?.targetServiceRevision?.arn ?? entry.brief.targetServiceRevisionArn;

/** The revision a deployment completed, if it completed one: a MISSING ROLLBACK_SUCCESSFUL one does not say which. */
function completedBy(entry: Entry): string | undefined {
  if (statusOf(entry) === 'SUCCESSFUL') return targetOf(entry);
  if (statusOf(entry) === 'ROLLBACK_SUCCESSFUL') return entry.described?.rollback?.serviceRevisionArn;
  return undefined;
}

/**
 * Newest first: each deployment's own completion (at its end), then the sources it started from that an older
 * deployment completed (still serving at its start). The current deployment's own completion is the release itself,
 * unless ECS rolled it back successfully: then it is the revision ECS returned to, where the service stands.
 */
function candidatesOf(newestFirst: Entry[]): Candidate[] {
  const completions: Candidate[] = [];
  for (const entry of newestFirst) {
    const own = completedBy(entry);
    if (!own) continue;
    const finishedAt = entry.described?.finishedAt ?? entry.brief.finishedAt;
    const verb = statusOf(entry) === 'ROLLBACK_SUCCESSFUL' ? 'rolled back to it (ROLLBACK_SUCCESSFUL)' : `ended ${statusOf(entry)}`;
    const at = finishedAt ? ` at ${finishedAt.toISOString()}` : '';
    completions.push({
      revisionArn: own,
      entry,
      own: true,
      completedIn: entry,
      evidence: `service deployment ${serviceDeploymentId(entry.brief.serviceDeploymentArn)} ${verb}${at}`,
    });
  }
  // What makes a source revision one that worked: an older deployment completed it (the newest such).
  const position = new Map(newestFirst.map((entry, index) => [entry, index]));
  const completedBefore = (revisionArn: string, entry: Entry) =>
    completions.find(
      (completion) => completion.revisionArn === revisionArn && (position.get(completion.entry) ?? 0) > (position.get(entry) ?? 0),
    );
  const candidates: Candidate[] = [];
  for (const entry of newestFirst) {
    const own = completions.find((completion) => completion.entry === entry);
    if (own) candidates.push(own);
    // ECS lists sources in no meaningful order: the one completed most recently comes first.
    const sources = (entry.described?.sourceServiceRevisions ?? [])
      .map((source) => (source.arn && source.arn !== own?.revisionArn ? completedBefore(source.arn, entry) : undefined))
      .filter((completion): completion is Candidate => Boolean(completion))
      .sort((a, b) => completions.indexOf(a) - completions.indexOf(b));
    const id = serviceDeploymentId(entry.brief.serviceDeploymentArn);
    for (const completion of sources) {
      candidates.push({
        ...completion,
        entry,
        own: false,
        evidence: `${completion.evidence}, and it was serving when service deployment ${id} started`,
      });
    }
  }
  return candidates;
}

function completedRevision(candidate: Candidate, taskDefinitions: Map<string, string>): CompletedRevision | undefined {
  const taskDefinitionArn = taskDefinitions.get(candidate.revisionArn);
  if (!taskDefinitionArn) return undefined;
  const entry = candidate.completedIn;
  return {
    taskDefinitionArn,
    serviceDeploymentArn: entry.brief.serviceDeploymentArn,
    finishedAt: entry.described?.finishedAt ?? entry.brief.finishedAt,
    evidence: candidate.evidence,
  };
}

function revisionsOfCurrent(entry: Entry): string[] {
  return [targetOf(entry), entry.described?.rollback?.serviceRevisionArn].filter((arn): arn is string => Boolean(arn));
}

function currentOf(entry: Entry, taskDefinitions: Map<string, string>): CurrentDeployment {
  const status = statusOf(entry);
  const target = taskDefinitions.get(targetOf(entry) ?? '');
  const returnedTo =
    status === 'ROLLBACK_SUCCESSFUL' ? taskDefinitions.get(entry.described?.rollback?.serviceRevisionArn ?? '') : undefined;
  return {
    serviceDeploymentArn: entry.brief.serviceDeploymentArn,
    status,
    taskDefinitionArn: returnedTo ?? target,
    targetTaskDefinitionArn: target,
    createdAt: entry.described?.createdAt ?? entry.brief.createdAt,
    finishedAt: entry.described?.finishedAt ?? entry.brief.finishedAt,
  };
}

async function resolveTaskDefinitions(ecs: ECSClient, revisionArns: string[], found: Map<string, string>): Promise<void> {
  const missing = [...new Set(revisionArns)].filter((arn) => !found.has(arn));
  for (let at = 0; at < missing.length; at += DESCRIBE_BATCH) {
    const answer = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: missing.slice(at, at + DESCRIBE_BATCH) }));
    for (const revision of answer.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn && revision.taskDefinition) found.set(revision.serviceRevisionArn, revision.taskDefinition);
    }
  }
}

/** The service's own deployments: the PRIMARY one is current; an older COMPLETED one, not the release, is previous. */
function fromDeploymentsOfService(service: Service, release?: string): DeploymentHistory {
  const deployments = service.deployments ?? [];
  const primary = primaryDeployment(service);
  const skip = release ?? primary?.taskDefinition;
  const previous = deployments
    .filter((d) => d.status !== 'PRIMARY' && d.rolloutState === 'COMPLETED' && d.taskDefinition && d.taskDefinition !== skip)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  return {
    source: 'service',
    current: primary
      ? {
          status: primary.rolloutState,
          taskDefinitionArn: primary.taskDefinition,
          targetTaskDefinitionArn: primary.taskDefinition,
          createdAt: primary.createdAt,
        }
      : undefined,
    previous: previous?.taskDefinition
      ? { taskDefinitionArn: previous.taskDefinition, evidence: `deployment ${previous.id} is still listed by the service as COMPLETED` }
      : undefined,
  };
}

export function serviceDeploymentId(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : '(unknown)';
}
