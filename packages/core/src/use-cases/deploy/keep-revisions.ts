/**
 * deploy-ecs's `keep-revisions: N`: once the deploy succeeded, deregister the ACTIVE revisions of the family beyond
 * the newest N, never one in use. In use: what any service of any cluster of the account and region runs or last
 * completed (each deployment DescribeServices lists, and each task set of a CODE_DEPLOY or EXTERNAL service), what a
 * service deployment in flight moves from or to, what an EventBridge rule's target (any bus) or a Scheduler
 * schedule's target (any group) runs, and the rollback target. A revision deregistered while in use goes on running,
 * but nothing can start it again ("you can't use an INACTIVE task definition to run new tasks or create new services",
 * ECS developer guide, "Deregistering an Amazon ECS task definition revision"): a rollback or a scheduled task would fail.
 *
 * So the clean-up needs every listing: one the role may not make (AccessDenied) skips it, naming the permission, and
 * deregisters nothing. It never fails the deploy: a failure is a warning that says so.
 */
import {
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { ListEventBusesCommand, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import type { ClientFactory } from '../../common/aws';
import { errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import { familyOfTaskDefinition, listRuleTargets, scheduledTaskClients, type ScheduledTaskClients } from '../../scheduled-tasks';

export const KEEP_REVISIONS_INPUT = 'keep-revisions';

/** What a failed clean-up does not change, after a service deploy (a register-only step says its own). */
const DEPLOY_SUCCEEDED = 'The deploy itself succeeded';

/** The service deployment statuses of a deployment still in flight (ListServiceDeployments, API reference). */
const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'] as const;

export interface CleanUpResult {
  deregistered: string[];
  /** Revision ARN → why it was kept. */
  kept: Map<string, string>;
  /** Why nothing was deregistered, when the clean-up was skipped. */
  skipped?: string;
  failed?: string;
}

/** A listing the role was refused: the clean-up stops, naming the permission. */
class ListingDenied extends Error {
  constructor(
    readonly permission: string,
    cause: unknown,
  ) {
    super(`the role may not call ${permission} (${errorMessage(cause)})`);
  }
}

const isDenied = (error: unknown) => /^AccessDenied(Exception)?$/.test((error as { name?: string } | undefined)?.name ?? '');

async function listing<T>(permission: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isDenied(error)) throw new ListingDenied(permission, error);
    throw error;
  }
}

async function pages<T>(permission: string, read: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await listing(permission, () => read(token));
    all.push(...page.items);
    token = page.next;
  } while (token);
  return all;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));

/** Every revision the account's services run, last completed, or move between in a deployment in flight, with who. */
async function usedByServices(ecs: ECSClient, use: (arn: string | undefined, why: string) => void): Promise<void> {
  const clusters = await pages('ecs:ListClusters', async (nextToken) => {
    const page = await ecs.send(new ListClustersCommand({ nextToken }));
    return { items: page.clusterArns ?? [], next: page.nextToken };
  });
  for (const cluster of clusters) {
    const services = await pages('ecs:ListServices', async (nextToken) => {
      const page = await ecs.send(new ListServicesCommand({ cluster, nextToken }));
      return { items: page.serviceArns ?? [], next: page.nextToken };
    });
    for (const batch of chunks(services, 10)) {
      const described = await listing('ecs:DescribeServices', () => ecs.send(new DescribeServicesCommand({ cluster, services: batch })));
      for (const service of described.services ?? []) {
        const who = `service ${service.serviceName}`;
        for (const deployment of service.deployments ?? [])
          use(deployment.taskDefinition, `${who} runs it (${deployment.status} deployment)`);
        for (const set of service.taskSets ?? []) use(set.taskDefinition, `${who} runs it (${set.status} task set)`);
        if ((service.deployments ?? []).some((deployment) => deployment.rolloutState === 'IN_PROGRESS'))
          await inFlightRevisions(ecs, cluster, service.serviceArn as string, who, use);
      }
    }
  }
}

/** The source and target revisions of a service's deployments in flight (DescribeServiceDeployments, DescribeServiceRevisions). */
async function inFlightRevisions(
  ecs: ECSClient,
  cluster: string,
  service: string,
  who: string,
  use: (arn: string | undefined, why: string) => void,
) {
  const arns = await pages('ecs:ListServiceDeployments', async (nextToken) => {
    const page = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status: [...IN_FLIGHT], nextToken }));
    return { items: (page.serviceDeployments ?? []).map((d) => d.serviceDeploymentArn as string), next: page.nextToken };
  });
  for (const batch of chunks(arns, 20)) {
    const described = await listing('ecs:DescribeServiceDeployments', () =>
      ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch })),
    );
    const revisions = (described.serviceDeployments ?? []).flatMap((d) => [
      ...(d.sourceServiceRevisions ?? []).map((r) => r.arn),
      d.targetServiceRevision?.arn,
    ]);
    const known = revisions.filter((arn): arn is string => Boolean(arn));
    for (const revisionBatch of chunks(known, 20)) {
      const found = await listing('ecs:DescribeServiceRevisions', () =>
        ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionBatch })),
      );
      for (const revision of found.serviceRevisions ?? []) use(revision.taskDefinition, `a deployment of ${who} in flight uses it`);
    }
  }
}

/** Every revision an EventBridge rule's ECS target (every bus) or a Scheduler schedule's (every group) runs. */
async function usedBySchedules(clients: ScheduledTaskClients, use: (arn: string | undefined, why: string) => void): Promise<void> {
  const { events, scheduler } = clients;
  const buses = await pages('events:ListEventBuses', async (token) => {
    const page = await events.send(new ListEventBusesCommand({ NextToken: token }));
    return { items: (page.EventBuses ?? []).map((bus) => bus.Name as string), next: page.NextToken };
  });
  for (const bus of buses) {
    const rules = await pages('events:ListRules', async (token) => {
      const page = await events.send(new ListRulesCommand({ EventBusName: bus, NextToken: token }));
      return { items: (page.Rules ?? []).map((rule) => rule.Name as string), next: page.NextToken };
    });
    for (const rule of rules) {
      const targets = await listing('events:ListTargetsByRule', () =>
        listRuleTargets(events, { kind: 'rule', name: rule, ...(bus === 'default' ? {} : { bus }), line: '' }),
      );
      for (const target of targets)
        use(target.EcsParameters?.TaskDefinitionArn, `rule ${rule} on bus ${bus}, target ${target.Id}, runs it`);
    }
  }
  const schedules = await pages('scheduler:ListSchedules', async (token) => {
    const page = await scheduler.send(new ListSchedulesCommand({ NextToken: token }));
    return { items: page.Schedules ?? [], next: page.NextToken };
  });
  // Only an ECS target carries a task definition; ListSchedules gives the target's ARN, GetSchedule the rest.
  for (const summary of schedules.filter((s) => /:ecs:[^:]*:[^:]*:cluster\//.test(s.Target?.Arn ?? ''))) {
    const schedule = await listing('scheduler:GetSchedule', () =>
      scheduler.send(new GetScheduleCommand({ Name: summary.Name, GroupName: summary.GroupName })),
    );
    use(schedule.Target?.EcsParameters?.TaskDefinitionArn, `schedule ${summary.GroupName}/${summary.Name} runs it`);
  }
}

export async function cleanUpRevisions(
  ecs: ECSClient,
  aws: ClientFactory,
  region: string,
  keep: number,
  revisions: { deployed: string; rollbackTarget: string },
  log: Logger,
  outcome = DEPLOY_SUCCEEDED,
): Promise<CleanUpResult> {
  const family = familyOfTaskDefinition(revisions.deployed);
  const kept = new Map<string, string>();
  const result: CleanUpResult = { deregistered: [], kept };
  try {
    const active = await pages('ecs:ListTaskDefinitions', async (nextToken) => {
      const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken }));
      return { items: page.taskDefinitionArns ?? [], next: page.nextToken };
    });
    const ours = active.filter((arn) => familyOfTaskDefinition(arn) === family).sort((a, b) => revisionOf(b) - revisionOf(a));
    for (const arn of ours.slice(0, keep)) kept.set(arn, `one of the newest ${keep}`);
    const beyond = ours.slice(keep);
    if (beyond.length === 0) return result;
    const inUse = new Map<string, string>();
    const use = (arn: string | undefined, why: string) => {
      if (arn && !inUse.has(arn)) inUse.set(arn, why);
    };
    if (revisions.rollbackTarget) use(revisions.rollbackTarget, 'the rollback target (previous-task-definition-arn)');
    await usedByServices(ecs, use);
    await usedBySchedules(scheduledTaskClients(aws, region), use);
    for (const arn of beyond) {
      const why = inUse.get(arn);
      if (why) {
        kept.set(arn, why);
        continue;
      }
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      result.deregistered.push(arn);
    }
  } catch (error) {
    if (error instanceof ListingDenied) {
      result.skipped = `${error.message}, so the revisions in use cannot all be known`;
      log.warning(
        `keep-revisions: the clean-up was skipped and nothing was deregistered: ${result.skipped}. Grant ${error.permission} to clean up.`,
      );
    } else {
      result.failed = errorMessage(error).replace(/\.$/, '');
      const done = result.deregistered.length
        ? ` (deregistered before it failed: ${result.deregistered.map(shortTaskDefinition).join(', ')})`
        : '';
      log.warning(`keep-revisions: the clean-up failed${done}: ${result.failed}. ${outcome}.`);
    }
    return result;
  }
  log.info(cleanUpLog(result, keep, family));
  return result;
}

const revisionOf = (arn: string) => Number(/:(\d+)$/.exec(arn)?.[1] ?? 0);

function cleanUpLog(result: CleanUpResult, keep: number, family: string): string {
  const lines = [
    ...result.deregistered.map((arn) => `  deregistered ${shortTaskDefinition(arn)}`),
    ...[...result.kept].map(([arn, why]) => `  kept ${shortTaskDefinition(arn)}: ${why}`),
  ];
  const what = result.deregistered.length ? `deregistered ${result.deregistered.length}` : 'nothing to deregister';
  return `keep-revisions ${keep}: ${what} of family ${family}:\n${lines.join('\n')}`;
}

/** The job summary's table: each revision looked at, deregistered or kept, and why. */
export function cleanUpMarkdown(result: CleanUpResult, keep: number, outcome = DEPLOY_SUCCEEDED): string {
  const heading = `### Old revisions (keep-revisions: ${keep})`;
  if (result.skipped) return [heading, '', `⚠️ Skipped, nothing deregistered: ${result.skipped}.`, ''].join('\n');
  const rows = [
    ...result.deregistered.map((arn) => `| ${shortTaskDefinition(arn)} | deregistered | beyond the newest ${keep}, not in use |`),
    ...[...result.kept].map(([arn, why]) => `| ${shortTaskDefinition(arn)} | kept | ${why} |`),
  ];
  const failed = result.failed ? [`⚠️ The clean-up failed: ${result.failed}. ${outcome}.`, ''] : [];
  return [heading, '', ...failed, '| Revision | Outcome | Why |', '| --- | --- | --- |', ...rows, ''].join('\n');
}
