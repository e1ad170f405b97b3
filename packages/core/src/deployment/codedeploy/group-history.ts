import {
  BatchGetDeploymentsCommand,
  ListDeploymentsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentStatus,
} from '@aws-sdk/client-codedeploy';
import { IN_FLIGHT_STATUSES } from './in-flight';
import type { CodeDeployNames } from './settings';

/** Whether a deployment is still under way: Ready waits at its gate, InProgress includes the termination wait. */
export function isInFlight(deployment: Pick<DeploymentInfo, 'status'> | undefined): boolean {
  return deployment?.status !== undefined && (IN_FLIGHT_STATUSES as readonly string[]).includes(deployment.status);
}

/** A deployment CodeDeploy created to roll another back (DeploymentInfo.creator, API reference). */
export function isRollbackDeployment(deployment: Pick<DeploymentInfo, 'creator'> | undefined): boolean {
  return deployment?.creator === 'codeDeployRollback';
}

export interface ListOptions {
  /** At most this many, newest first. */
  limit: number;
}

// ListDeployments answers up to 100 ids a page (*unconfirmed*: the API reference gives no page size) and documents
// no order; BatchGetDeployments takes at most 25 ids.
const MAX_LIST_CALLS = 3;
const BATCH = 25;

/**
 * The group's deployments, newest first by createTime, described with BatchGetDeployments (status, creator,
 * revision, rollbackInfo). ListDeployments documents no order, so its pages are read up to a bound and sorted; the
 * deployments still under way are listed on their own (includeOnlyStatuses), in full, so that one is never missed
 * in a group whose history outgrows the bound.
 */
export async function listGroupDeployments(
  codedeploy: CodeDeployClient,
  names: CodeDeployNames,
  options: ListOptions,
): Promise<DeploymentInfo[]> {
  const ids = [...(await listIds(codedeploy, names, IN_FLIGHT_STATUSES)), ...(await listIds(codedeploy, names))];
  const unique = [...new Set(ids)];
  const described: DeploymentInfo[] = [];
  for (let at = 0; at < unique.length; at += BATCH) {
    const answer = await codedeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: unique.slice(at, at + BATCH) }));
    described.push(...(answer.deploymentsInfo ?? []));
  }
  return described.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0)).slice(0, options.limit);
}

async function listIds(codedeploy: CodeDeployClient, names: CodeDeployNames, statuses?: readonly DeploymentStatus[]): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  for (let call = 0; call < MAX_LIST_CALLS; call++) {
    const listed = await codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: names.application,
        deploymentGroupName: names.deploymentGroup,
        ...(statuses ? { includeOnlyStatuses: [...statuses] } : {}),
        nextToken,
      }),
    );
    ids.push(...(listed.deployments ?? []));
    nextToken = listed.nextToken;
    if (!nextToken) break;
  }
  return ids;
}
