import type { Context } from '../context';
import { clusterOperations } from './clusters';
import { serviceDeploymentOperations } from './service-deployments';
import { serviceOperations } from './services';
import type { Json } from './state';
import { tagOperations } from './tags';
import { taskSetOperations } from './task-sets';
import { taskDefinitionOperations } from './task-definitions';
import { taskOperations } from './tasks';

export type Operation = (ctx: Context, input: Json) => Json;

/** Every ECS operation the sandbox answers, by its name in X-Amz-Target. */
export const ecsOperations: Record<string, Operation> = {
  ...clusterOperations,
  ...taskDefinitionOperations,
  ...serviceOperations,
  ...taskOperations,
  ...serviceDeploymentOperations,
  ...tagOperations,
  ...taskSetOperations,
};
