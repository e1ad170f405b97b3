/**
 * The 'target-turns-unhealthy' fault effect: which targets a call concerns, and turning them unhealthy with the
 * reason ELB would give (see FaultEffect in types.ts for the order in which the call's input is read).
 */
import { clusterName, lastPart } from '../arns';
import type { Context } from '../context';
import type { TaskRecord } from '../ecs/state';
import type { FaultEffect } from '../types';
import { REASONS } from './state';

type TargetsTurnUnhealthy = Extract<FaultEffect, { kind: 'target-turns-unhealthy' }>;

/** The descriptions ELB gives the reasons a failing target can have, for a rule that names only the reason. */
const DESCRIPTIONS: Record<string, string> = Object.fromEntries(
  [REASONS.failed, REASONS.timeout].map((entry) => [entry.reason, entry.description]),
);

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item !== '');

/** The tasks a call names: its `task`/`tasks`, else the running tasks of its `service`/`services`. */
function tasksOf(ctx: Context, input: Record<string, unknown>): TaskRecord[] {
  const all = [...ctx.ecs.tasks.values()];
  const named = [...strings(input.task), ...strings(input.tasks)];
  if (named.length) return all.filter((task) => named.some((name) => task.arn === name || task.id === lastPart(name)));
  const services = [...strings(input.service), ...strings(input.services)].map(lastPart);
  const cluster = clusterName(typeof input.cluster === 'string' ? input.cluster : undefined);
  return all.filter(
    (task) => task.cluster === cluster && task.serviceName && services.includes(task.serviceName) && task.lastStatus === 'RUNNING',
  );
}

/** Turns the targets the effect and the call's input name unhealthy; returns how many turned. */
export function turnTargetsUnhealthy(ctx: Context, effect: TargetsTurnUnhealthy, input: unknown): number {
  const reason = effect.reason ?? REASONS.failed.reason;
  const why = { reason, description: effect.description ?? DESCRIPTIONS[reason] ?? REASONS.failed.description };
  const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const groupArn = effect.targetGroupArn ?? (typeof fields.TargetGroupArn === 'string' ? fields.TargetGroupArn : undefined);
  if (groupArn) return ctx.elb.turnUnhealthy(groupArn, why);
  let turned = 0;
  for (const task of tasksOf(ctx, fields))
    for (const t of task.targets ?? [])
      turned += ctx.elb.turnUnhealthy(t.targetGroupArn, why, (target) => target.id === t.id && target.port === t.port);
  return turned;
}
