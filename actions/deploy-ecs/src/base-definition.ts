import type { Service, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { stripTaskDefinition, type LoadedDefinition } from '@ecs-deploy/core';

/** Without a file, the revision the service runs now is the base, tags included. */
export function liveAsBase(live: { definition: TaskDefinition; tags: Tag[] }): LoadedDefinition {
  return { definition: stripTaskDefinition(live.definition), tags: live.tags };
}

export function liveTaskDefinitionArn(service: Service): string {
  if (!service.taskDefinition) throw new Error(`Service ${service.serviceName} has no task definition.`);
  return service.taskDefinition;
}
