/** The checks CreateService and UpdateService make of a service's `loadBalancers` before anything changes. */
import type { Context } from '../context';
import { invalidParameter } from './errors';
import type { Json, TaskDefinitionRecord } from './state';

export function checkLoadBalancers(ctx: Context, taskDefinition: TaskDefinitionRecord | undefined, loadBalancers: Json[]): void {
  for (const lb of loadBalancers) {
    if (lb.targetGroupArn === undefined) continue;
    const arn = String(lb.targetGroupArn);
    if (!ctx.elb.groups.has(arn)) throw invalidParameter(`The target group with targetGroupArn ${arn} does not exist.`);
    if (typeof lb.containerName !== 'string' || typeof lb.containerPort !== 'number') {
      throw invalidParameter('A load balancer needs both containerName and containerPort.');
    }
  }
  if (taskDefinition) checkLoadBalancedContainers(taskDefinition, loadBalancers);
}

/**
 * The load-balanced container and port must be in the task definition the tasks use: "This port must
 * correspond to a containerPort in the task definition the tasks in the service are using" (LoadBalancer, API
 * reference). ECS checks it for each new revision too, so an UpdateService to a revision that renamed the
 * container or dropped the port mapping is refused with the same InvalidParameterException as CreateService.
 */
export function checkLoadBalancedContainers(taskDefinition: TaskDefinitionRecord, loadBalancers: Json[]): void {
  for (const lb of loadBalancers) {
    if (lb.targetGroupArn === undefined) continue;
    const containers = (taskDefinition.body.containerDefinitions as Json[] | undefined) ?? [];
    const container = containers.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    const ports = ((container.portMappings as Json[] | undefined) ?? []).map((p) => p.containerPort);
    if (!ports.includes(lb.containerPort))
      throw invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
  }
}
