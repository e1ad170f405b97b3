import type { Task } from '@aws-sdk/client-ecs';
import { taskId } from '../../common/identifiers';
import type { PreflightCheck } from '../check';

export interface NoConcurrentMigrationOptions {
  cluster: string;
  family: string;
  /** The family's migration tasks that still run (run-migration knows which tasks it started). */
  running: () => Promise<Task[]>;
}

/**
 * Two migrations of one schema at once corrupt it or deadlock. It protects: a workflow that knows its
 * migrations may run side by side says so with 'allow-concurrent', and then leaves this check out.
 */
export function noConcurrentMigrationCheck(options: NoConcurrentMigrationOptions): PreflightCheck<undefined> {
  return {
    id: 'no-concurrent-migration',
    title: 'No concurrent migration',
    protects: true,
    permissions: ['ecs:ListTasks', 'ecs:DescribeTasks'],
    run: async () => {
      const running = await options.running();
      if (running.length === 0)
        return { status: 'pass', detail: `no other migration of family ${options.family} is running in cluster ${options.cluster}` };
      return { status: 'fail', detail: concurrentMigrationMessage(running, options.family, options.cluster), input: 'allow-concurrent' };
    },
  };
}

/** The refusal when migrations of the family still run: which tasks, and the three ways out. */
export function concurrentMigrationMessage(running: Task[], family: string, cluster: string): string {
  const described = running
    .map(
      (task) =>
        `${taskId(task.taskArn)} (${task.lastStatus}, started by ${task.startedBy}${task.createdAt ? ` at ${new Date(task.createdAt).toISOString()}` : ''})`,
    )
    .join(', ');
  return (
    `Another migration of task definition family ${family} is still running in cluster ${cluster}: task ${described}. ` +
    `Nothing was started. Wait for it to finish, or stop it (aws ecs stop-task --cluster ${cluster} --task ${running[0].taskArn}), ` +
    "or set 'allow-concurrent: true' if these migrations may run side by side."
  );
}
