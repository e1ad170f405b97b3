/**
 * The ECS targets of the rules and schedules `scheduled-tasks` names, read whole: an EventBridge rule's from
 * ListTargetsByRule (every page), a schedule's from GetSchedule. Each keeps what was read, so moving it to another
 * revision sends back every other field unchanged.
 */
import { EventBridgeClient, ListTargetsByRuleCommand, type Target } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, SchedulerClient, type GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import type { ClientFactory } from '../common/aws';
import type { RuleReference, ScheduleReference, ScheduledTaskReference } from './lines';

export interface ScheduledTaskClients {
  events: EventBridgeClient;
  scheduler: SchedulerClient;
}

export interface RuleTargets {
  reference: RuleReference;
  /** Every target of the rule, as listed. */
  targets: Target[];
}

export interface ScheduleTarget {
  reference: ScheduleReference;
  /** The schedule as GetSchedule gave it. */
  schedule: GetScheduleCommandOutput;
}

export type ReadScheduledTask = RuleTargets | ScheduleTarget;

/** `arn:...:task-definition/family:3` → family, `family:3` → family. */
export function familyOfTaskDefinition(arn: string): string {
  const tail = arn.includes(':task-definition/') ? arn.slice(arn.indexOf(':task-definition/') + ':task-definition/'.length) : arn;
  return tail.replace(/:\d+$/, '');
}

/** Whether a task definition reference pins a revision (`family:3`), rather than the family's latest ACTIVE one. */
export function pinsRevision(arn: string): boolean {
  return /:\d+$/.test(arn);
}

export async function listRuleTargets(events: EventBridgeClient, reference: RuleReference): Promise<Target[]> {
  const targets: Target[] = [];
  let token: string | undefined;
  do {
    const page = await events.send(
      new ListTargetsByRuleCommand({ Rule: reference.name, ...(reference.bus ? { EventBusName: reference.bus } : {}), NextToken: token }),
    );
    targets.push(...(page.Targets ?? []));
    token = page.NextToken;
  } while (token);
  return targets;
}

export async function getSchedule(scheduler: SchedulerClient, reference: ScheduleReference): Promise<GetScheduleCommandOutput> {
  return scheduler.send(new GetScheduleCommand({ Name: reference.name, ...(reference.group ? { GroupName: reference.group } : {}) }));
}

export async function readScheduledTask(clients: ScheduledTaskClients, reference: ScheduledTaskReference): Promise<ReadScheduledTask> {
  if (reference.kind === 'rule') return { reference, targets: await listRuleTargets(clients.events, reference) };
  return { reference, schedule: await getSchedule(clients.scheduler, reference) };
}

/** The task definitions the read rule's or schedule's ECS targets run, with a label for each target. */
export function ecsTargetsOf(read: ReadScheduledTask): Array<{ label: string; taskDefinitionArn: string }> {
  if ('targets' in read)
    return read.targets
      .filter((target) => target.EcsParameters?.TaskDefinitionArn)
      .map((target) => ({ label: `target ${target.Id}`, taskDefinitionArn: target.EcsParameters?.TaskDefinitionArn as string }));
  const arn = read.schedule.Target?.EcsParameters?.TaskDefinitionArn;
  return arn ? [{ label: 'target', taskDefinitionArn: arn }] : [];
}

/** A not-found answer: EventBridge's and Scheduler's ResourceNotFoundException. */
export function isNotFound(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ResourceNotFoundException';
}

/** The two clients, in the step's region, through the suite's one way of building clients. */
export function scheduledTaskClients(aws: ClientFactory, region: string): ScheduledTaskClients {
  return { events: aws(EventBridgeClient, region), scheduler: aws(SchedulerClient, region) };
}
