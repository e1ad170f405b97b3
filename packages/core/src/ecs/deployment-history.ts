import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { errorMessage } from '../errors';
import { primaryDeployment } from './service';
import type { Logger } from '../logger';

/** The newest service deployment: the release a rollback moves away from. */
export interface CurrentDeployment {
  serviceDeploymentArn?: string;
  status?: string;
  taskDefinitionArn?: string;
  createdAt?: Date;
  finishedAt?: Date;
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
  source: 'service-deployments' | 'service';
  current?: CurrentDeployment;
  /** The last revision that completed a deployment before the current one. */
  previous?: CompletedRevision;
}

/** Service deployments ECS is still working on; only these can be stopped with ROLLBACK. */
export const IN_PROGRESS_SERVICE_DEPLOYMENT = new Set(['PENDING', 'IN_PROGRESS']);

// ListServiceDeployments pages hold up to 20 and DescribeServiceDeployments takes up to 20 ARNs: one page is
// one batch. Five pages reach back 100 deployments, far beyond any revision worth returning to.
const PAGE_SIZE = 20;
const MAX_PAGES = 5;

/**
 * The last revision that completed a deployment before the current one, from the service deployments API
 * (ListServiceDeployments newest first, DescribeServiceDeployments, DescribeServiceRevisions). "Completed" is a
 * SUCCESSFUL service deployment's target, or the revision a ROLLBACK_SUCCESSFUL one returned to. Revisions equal
 * to the current one are skipped, so a forced redeploy of the same revision is not a place to go back to.
 *
 * Never "the second deployment of DescribeServices": after a finished deploy the service lists only one. When the
 * history API is unavailable or empty (a service older than it, or a role without the permission), the service's
 * own deployments are the fallback: during a rollout the older, COMPLETED one is still listed.
 */
export async function readDeploymentHistory(ecs: ECSClient, cluster: string, service: Service, log: Logger): Promise<DeploymentHistory> {
  try {
    const history = await fromServiceDeployments(ecs, cluster, service.serviceArn ?? service.serviceName ?? '');
    if (history.current) return history;
    log.info('ListServiceDeployments returned no deployments for this service; reading its deployments from DescribeServices instead.');
  } catch (error) {
    log.warning(
      `Could not read the service's deployment history (${(error as Error).name}: ${errorMessage(error)}); ` +
        'falling back to the deployments DescribeServices lists. Grant ecs:ListServiceDeployments, ecs:DescribeServiceDeployments and ecs:DescribeServiceRevisions for a complete history.',
    );
  }
  return fromServiceDeploymentsOfService(service);
}

async function fromServiceDeployments(ecs: ECSClient, cluster: string, service: string): Promise<DeploymentHistory> {
  const history: DeploymentHistory = { source: 'service-deployments' };
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: PAGE_SIZE, nextToken }));
    const briefs = listed.serviceDeployments ?? [];
    if (briefs.length === 0) break;
    const described = await describeInListOrder(ecs, briefs);
    const revisionArns = new Set<string>();
    const current = history.current ? undefined : described[0];
    if (current?.targetServiceRevision?.arn) revisionArns.add(current.targetServiceRevision.arn);
    const candidates = described.slice(current ? 1 : 0).flatMap(completedRevisionOf);
    for (const candidate of candidates) revisionArns.add(candidate.revisionArn);
    const taskDefinitions = await taskDefinitionsOfRevisions(ecs, [...revisionArns]);
    if (current) {
      history.current = {
        serviceDeploymentArn: current.serviceDeploymentArn,
        status: current.status,
        taskDefinitionArn: taskDefinitions.get(current.targetServiceRevision?.arn ?? ''),
        createdAt: current.createdAt,
        finishedAt: current.finishedAt,
      };
    }
    const found = candidates
      .map((candidate) => ({ ...candidate, taskDefinitionArn: taskDefinitions.get(candidate.revisionArn) }))
      .find((candidate) => candidate.taskDefinitionArn && candidate.taskDefinitionArn !== history.current?.taskDefinitionArn);
    if (found?.taskDefinitionArn) {
      history.previous = {
        taskDefinitionArn: found.taskDefinitionArn,
        serviceDeploymentArn: found.deployment.serviceDeploymentArn,
        finishedAt: found.deployment.finishedAt,
        evidence: `service deployment ${serviceDeploymentId(found.deployment.serviceDeploymentArn)} ended ${found.deployment.status}${found.deployment.finishedAt ? ` at ${found.deployment.finishedAt.toISOString()}` : ''}`,
      };
      return history;
    }
    nextToken = listed.nextToken;
    if (!nextToken) break;
  }
  return history;
}

async function describeInListOrder(ecs: ECSClient, briefs: ServiceDeploymentBrief[]): Promise<ServiceDeployment[]> {
  const arns = briefs.map((brief) => brief.serviceDeploymentArn).filter((arn): arn is string => Boolean(arn));
  const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
  const byArn = new Map((answer.serviceDeployments ?? []).map((sd) => [sd.serviceDeploymentArn, sd]));
  return arns.map((arn) => byArn.get(arn)).filter((sd): sd is ServiceDeployment => Boolean(sd));
}

function completedRevisionOf(deployment: ServiceDeployment): { deployment: ServiceDeployment; revisionArn: string }[] {
  if (deployment.status === 'SUCCESSFUL' && deployment.targetServiceRevision?.arn) return [{ deployment, revisionArn: deployment.targetServiceRevision.arn }];
  if (deployment.status === 'ROLLBACK_SUCCESSFUL' && deployment.rollback?.serviceRevisionArn) return [{ deployment, revisionArn: deployment.rollback.serviceRevisionArn }];
  return [];
}

async function taskDefinitionsOfRevisions(ecs: ECSClient, revisionArns: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let at = 0; at < revisionArns.length; at += PAGE_SIZE) {
    const answer = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns.slice(at, at + PAGE_SIZE) }));
    for (const revision of answer.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn && revision.taskDefinition) found.set(revision.serviceRevisionArn, revision.taskDefinition);
    }
  }
  return found;
}

function fromServiceDeploymentsOfService(service: Service): DeploymentHistory {
  const deployments = service.deployments ?? [];
  const primary = primaryDeployment(service);
  const previous = deployments
    .filter((d) => d.status !== 'PRIMARY' && d.rolloutState === 'COMPLETED' && d.taskDefinition && d.taskDefinition !== primary?.taskDefinition)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  return {
    source: 'service',
    current: primary ? { status: primary.rolloutState, taskDefinitionArn: primary.taskDefinition, createdAt: primary.createdAt } : undefined,
    previous: previous?.taskDefinition
      ? { taskDefinitionArn: previous.taskDefinition, evidence: `deployment ${previous.id} is still listed by the service as COMPLETED` }
      : undefined,
  };
}

export function serviceDeploymentId(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : '(unknown)';
}
