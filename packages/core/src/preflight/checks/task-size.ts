import { taskSizeProblem, type TaskOverrides } from '../../ecs/task-overrides';
import type { TaskPlacement } from '../../ecs/task-placement';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { PreflightCheck } from '../check';

export interface TaskSizeOptions {
  definition: RegistrableDefinition;
  placement: TaskPlacement;
  overrides: TaskOverrides;
}

/**
 * The one-off task's cpu and memory overrides are a size ECS runs it at: on Fargate a pair of Fargate's table, and
 * no container with more memory than the task. No AWS call; ECS would refuse RunTask, after a revision may have
 * been registered for it.
 */
export function taskSizeCheck(options: TaskSizeOptions): PreflightCheck<undefined> {
  return {
    id: 'task-size',
    title: 'Task size overrides fit',
    protects: false,
    run: async () => {
      const problem = taskSizeProblem(options.definition, options.placement, options.overrides);
      const input = options.overrides.cpu !== undefined ? 'cpu' : 'memory';
      if (problem) return { status: 'fail', detail: `${problem}. Nothing was started.`, input };
      const cpu = options.overrides.cpu ?? options.definition.cpu;
      const memory = options.overrides.memory ?? options.definition.memory;
      return { status: 'pass', detail: `the task runs at ${cpu ?? 'no task-level'} CPU units and ${memory ?? 'no task-level'} MiB` };
    },
  };
}
