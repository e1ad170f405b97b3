import { shortTaskDefinition } from '../../common/identifiers';
import {
  ecsTargetsOf,
  familyOfTaskDefinition,
  isNotFound,
  readScheduledTask,
  referenceLabel,
  SCHEDULED_TASKS_INPUT,
  type ScheduledTaskClients,
  type ScheduledTaskReference,
} from '../../scheduled-tasks';
import type { PreflightCheck } from '../check';

export interface ScheduledTasksOptions {
  clients: ScheduledTaskClients;
  references: ScheduledTaskReference[];
  /** The family of the revision the step registers. */
  family: string;
  /** What the step does with that family, for the message: `deploys` (the default), `registers` without a service. */
  doing?: string;
}

/**
 * Each rule and schedule `scheduled-tasks` names exists and has ECS targets, all of them of the family this step
 * deploys: the step moves them to the new revision after the deploy, and one that is missing, runs nothing of ECS or
 * runs another family would fail (or change someone else's task) only after the service was updated. It protects.
 */
export function scheduledTasksCheck(options: ScheduledTasksOptions): PreflightCheck<undefined> {
  return {
    id: 'scheduled-tasks',
    title: 'Scheduled tasks run this family',
    protects: true,
    permissions: ['events:ListTargetsByRule', 'scheduler:GetSchedule'],
    run: async () => {
      const found: string[] = [];
      for (const reference of options.references) {
        const where = `Input '${SCHEDULED_TASKS_INPUT}' line "${reference.line}"`;
        let read;
        try {
          read = await readScheduledTask(options.clients, reference);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          return {
            status: 'fail',
            detail: `${where}: there is no ${referenceLabel(reference)} (${(error as Error).message}).`,
            fix: 'Name an existing rule (rule:[bus/]name) or schedule (schedule:[group/]name). Nothing was changed.',
            input: SCHEDULED_TASKS_INPUT,
          };
        }
        const targets = ecsTargetsOf(read);
        if (targets.length === 0)
          return {
            status: 'fail',
            detail: `${where}: ${referenceLabel(reference)} has no ECS target (none with EcsParameters.TaskDefinitionArn), so there is nothing to move to the new revision.`,
            fix: 'Remove the line, or name the rule or schedule that runs this family. Nothing was changed.',
            input: SCHEDULED_TASKS_INPUT,
          };
        const other = targets.find((target) => familyOfTaskDefinition(target.taskDefinitionArn) !== options.family);
        if (other)
          return {
            status: 'fail',
            detail: `${where}: ${referenceLabel(reference)} ${other.label} runs ${shortTaskDefinition(other.taskDefinitionArn)}, of family ${familyOfTaskDefinition(other.taskDefinitionArn)}, not ${options.family}, the family this step ${options.doing ?? 'deploys'}.`,
            fix: 'Name only rules and schedules whose ECS targets run this family. Nothing was changed.',
            input: SCHEDULED_TASKS_INPUT,
          };
        found.push(`${referenceLabel(reference)} (${targets.map((t) => shortTaskDefinition(t.taskDefinitionArn)).join(', ')})`);
      }
      return { status: 'pass', detail: found.join('; ') };
    },
  };
}
