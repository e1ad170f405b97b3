import type { Service } from '@aws-sdk/client-ecs';

/**
 * The revision a CODE_DEPLOY service serves: its PRIMARY task set's (the original until production traffic moves to
 * the replacement, which then becomes PRIMARY). Service.taskDefinition follows the same task set.
 */
export function servingTaskDefinition(service: Service): string | undefined {
  return service.taskSets?.find((taskSet) => taskSet.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
}
