/**
 * Moves the ECS targets of the named rules and schedules to the deployed revision, once the service's deploy
 * succeeded (so scheduled tasks run what the service runs), or, without a service, once the revision is registered. Each is read again just before it is changed (what the
 * pre-flight read may have been edited since), and every field but the task definition is sent back as read:
 * PutTargets replaces a target of the same Id whole, and UpdateSchedule replaces the whole schedule ("if you do not set
 * an optional field in your request, that field will be set to its system-default value after the update",
 * EventBridge Scheduler API reference, UpdateSchedule). Both are idempotent, so the SDK's retries are safe.
 *
 * Targets of another family are left alone (the pre-flight refused them; one that appeared since is not this step's),
 * as is a target that names the family without a revision: it already follows the latest ACTIVE one.
 */
import { PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { UpdateScheduleCommand, type GetScheduleCommandOutput, type UpdateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { ActionFailure } from '../common/errors';
import { shortTaskDefinition } from '../common/identifiers';
import type { Logger } from '../common/logger';
import { referenceLabel, type RuleReference, type ScheduleReference, type ScheduledTaskReference } from './lines';
import { familyOfTaskDefinition, getSchedule, listRuleTargets, pinsRevision, type ScheduledTaskClients } from './targets';

export interface MovedTarget {
  /** `rule nightly on bus default, target report` */
  target: string;
  from: string;
  to: string;
  /** False when it already ran the revision, or follows the family's latest. */
  changed: boolean;
  note?: string;
}

export async function moveScheduledTasks(
  clients: ScheduledTaskClients,
  references: ScheduledTaskReference[],
  taskDefinitionArn: string,
  log: Logger,
  /** What the step already did, which a failed move does not undo: `The service was deployed`, `The revision was registered`. */
  done = 'The service was deployed',
): Promise<MovedTarget[]> {
  const family = familyOfTaskDefinition(taskDefinitionArn);
  const moved: MovedTarget[] = [];
  for (const reference of references) {
    try {
      if (reference.kind === 'rule') moved.push(...(await moveRule(clients, reference, family, taskDefinitionArn)));
      else {
        const one = await moveSchedule(clients, reference, family, taskDefinitionArn);
        if (one) moved.push(one);
      }
    } catch (error) {
      throw new ActionFailure(failureMessage(reference, error, moved, taskDefinitionArn, done));
    }
  }
  log.info(movedLog(moved, taskDefinitionArn));
  return moved;
}

async function moveRule(clients: ScheduledTaskClients, reference: RuleReference, family: string, to: string): Promise<MovedTarget[]> {
  const targets = await listRuleTargets(clients.events, reference);
  const ours = targets.filter((target) => {
    const arn = target.EcsParameters?.TaskDefinitionArn;
    return arn !== undefined && familyOfTaskDefinition(arn) === family;
  });
  const label = (target: Target) => `${referenceLabel(reference)}, target ${target.Id}`;
  const results: MovedTarget[] = [];
  const toPut: Target[] = [];
  for (const target of ours) {
    const from = target.EcsParameters?.TaskDefinitionArn as string;
    if (!pinsRevision(from))
      results.push({ target: label(target), from, to: from, changed: false, note: 'follows the latest ACTIVE revision' });
    else if (from === to) results.push({ target: label(target), from, to, changed: false, note: 'already runs it' });
    else toPut.push({ ...target, EcsParameters: { ...target.EcsParameters, TaskDefinitionArn: to } });
  }
  if (toPut.length > 0) {
    // PutTargets takes at most 10 targets a call; a rule has at most 5 (EventBridge quotas).
    const answer = await clients.events.send(
      new PutTargetsCommand({ Rule: reference.name, ...(reference.bus ? { EventBusName: reference.bus } : {}), Targets: toPut }),
    );
    const failed = answer.FailedEntries ?? [];
    for (const target of toPut) {
      const from = ours.find((o) => o.Id === target.Id)?.EcsParameters?.TaskDefinitionArn as string;
      const failure = failed.find((entry) => entry.TargetId === target.Id);
      if (!failure) results.push({ target: label(target), from, to, changed: true });
    }
    if ((answer.FailedEntryCount ?? 0) > 0 || failed.length > 0) {
      const entry = failed[0];
      throw new PartialFailure(
        `PutTargets did not move target ${entry?.TargetId ?? '(unnamed)'} (${entry?.ErrorCode ?? 'FailedEntryCount ' + String(answer.FailedEntryCount)}: ${entry?.ErrorMessage ?? 'no message'})`,
        results.filter((result) => result.changed),
      );
    }
  }
  return results;
}

async function moveSchedule(
  clients: ScheduledTaskClients,
  reference: ScheduleReference,
  family: string,
  to: string,
): Promise<MovedTarget | undefined> {
  const schedule = await getSchedule(clients.scheduler, reference);
  const from = schedule.Target?.EcsParameters?.TaskDefinitionArn;
  const label = `${referenceLabel(reference)}, target`;
  if (!from || familyOfTaskDefinition(from) !== family) return undefined;
  if (!pinsRevision(from)) return { target: label, from, to: from, changed: false, note: 'follows the latest ACTIVE revision' };
  if (from === to) return { target: label, from, to, changed: false, note: 'already runs it' };
  await clients.scheduler.send(new UpdateScheduleCommand(updateKeepingEverything(schedule, to)));
  return { target: label, from, to, changed: true };
}

/**
 * The UpdateSchedule input that changes only the target's task definition: every member GetSchedule returned but the
 * ones the service owns (Arn, CreationDate, LastModificationDate) and the SDK's metadata. Spread rather than listed,
 * so a member a later API version adds is kept too.
 */
export function updateKeepingEverything(schedule: GetScheduleCommandOutput, taskDefinitionArn: string): UpdateScheduleCommandInput {
  const { $metadata: _metadata, Arn: _arn, CreationDate: _created, LastModificationDate: _modified, ...kept } = schedule;
  const target = schedule.Target!;
  return {
    ...kept,
    Name: schedule.Name!,
    ScheduleExpression: schedule.ScheduleExpression!,
    FlexibleTimeWindow: schedule.FlexibleTimeWindow!,
    Target: {
      ...target,
      Arn: target.Arn!,
      RoleArn: target.RoleArn!,
      EcsParameters: { ...target.EcsParameters, TaskDefinitionArn: taskDefinitionArn },
    },
  };
}

/** A rule some of whose targets moved before PutTargets refused one. */
class PartialFailure extends Error {
  constructor(
    message: string,
    readonly moved: MovedTarget[],
  ) {
    super(message);
  }
}

function failureMessage(reference: ScheduledTaskReference, error: unknown, before: MovedTarget[], to: string, done: string): string {
  const moved = [...before, ...(error instanceof PartialFailure ? error.moved : [])].filter((result) => result.changed);
  const why = error instanceof Error ? error.message : String(error);
  const already = moved.length
    ? `Already moved to ${shortTaskDefinition(to)}: ${moved.map((result) => `${result.target} (from ${shortTaskDefinition(result.from)})`).join('; ')}.`
    : 'No target had been moved yet.';
  return (
    `${done}, but moving the scheduled tasks of '${reference.line}' (${referenceLabel(reference)}) to ` +
    `${shortTaskDefinition(to)} failed: ${why}. ${already} The others still run their old revision; run the step again to move them.`
  );
}

function movedLog(moved: MovedTarget[], to: string): string {
  if (moved.length === 0) return `Scheduled tasks: no target of the family to move to ${shortTaskDefinition(to)}.`;
  const lines = moved.map(
    (result) =>
      `  ${result.target}: ${shortTaskDefinition(result.from)} → ${shortTaskDefinition(result.to)}${result.note ? ` (${result.note})` : ''}`,
  );
  return `Scheduled tasks moved to ${shortTaskDefinition(to)}:\n${lines.join('\n')}`;
}

/** The job summary's table of the moves. */
export function movedMarkdown(moved: MovedTarget[]): string {
  if (moved.length === 0) return '';
  const rows = moved.map(
    (result) =>
      `| ${result.target} | ${shortTaskDefinition(result.from)} | ${shortTaskDefinition(result.to)}${result.note ? ` (${result.note})` : ''} |`,
  );
  return ['### Scheduled tasks', '', '| Target | Old revision | New revision |', '| --- | --- | --- |', ...rows, ''].join('\n');
}
