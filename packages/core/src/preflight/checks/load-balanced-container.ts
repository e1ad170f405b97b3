import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { targetGroupName } from '../../health/service-signals';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { PreflightCheck } from '../check';

export interface LoadBalancedContainerOptions {
  service: Service;
  /** The revision the service is about to run, rendered with the step's changes. */
  definition: RegistrableDefinition;
  /** Where that revision comes from, for the message: the file's path. */
  source: string;
  /** The input that gave it; `task-definition` by default. */
  input?: string;
}

/**
 * Every container the service's load balancers send traffic to is in the new revision and maps the port: "This port
 * must correspond to a containerPort in the task definition the tasks in the service are using" (LoadBalancer, ECS
 * API reference). A file that renamed the container or dropped the mapping would have its revision registered and
 * then be refused by UpdateService, or leave the target group without targets. No AWS call.
 */
export function loadBalancedContainerCheck(options: LoadBalancedContainerOptions): PreflightCheck<undefined> {
  const input = options.input ?? 'task-definition';
  return {
    id: 'load-balanced-container',
    title: 'Load-balanced container and port',
    protects: false,
    run: async () => {
      const balanced = (options.service.loadBalancers ?? []).filter((lb) => lb.containerName !== undefined);
      const name = options.service.serviceName ?? 'the service';
      if (balanced.length === 0) return { status: 'pass', detail: `service "${name}" has no load balancer` };
      const problems = balanced.flatMap((lb) => missing(lb, options.definition));
      if (problems.length === 0)
        return {
          status: 'pass',
          detail: `the new revision has ${balanced.map(target).join(', ')}, as service "${name}"'s load balancer needs`,
        };
      return {
        status: 'fail',
        input,
        detail: `Service "${name}" sends its load balancer's traffic to ${problems.join('; and to ')}, in the revision from "${options.source}".`,
        fix: "Name the container and its containerPort as the service's load balancer does, or change the service's load balancer first. Nothing was changed.",
      };
    },
  };
}

/** What of the load balancer's target the revision lacks, in words; nothing when it has it. */
function missing(lb: LoadBalancer, definition: RegistrableDefinition): string[] {
  const containers = definition.containerDefinitions ?? [];
  const container = containers.find((candidate) => candidate.name === lb.containerName);
  const via = lb.targetGroupArn
    ? ` (target group ${targetGroupName(lb.targetGroupArn)})`
    : lb.loadBalancerName
      ? ` (${lb.loadBalancerName})`
      : '';
  if (!container) {
    const names = containers.map((candidate) => `"${candidate.name}"`).join(', ');
    return [`container "${lb.containerName}"${via}, which is not there (its containers: ${names || 'none'})`];
  }
  const ports = (container.portMappings ?? []).map((mapping) => mapping.containerPort).filter((port) => port !== undefined);
  if (lb.containerPort !== undefined && !ports.includes(lb.containerPort)) {
    const mapped = ports.length ? `it maps ${ports.join(', ')}` : 'it maps no port';
    return [`container "${lb.containerName}" port ${lb.containerPort}${via}, which that container does not map (${mapped})`];
  }
  return [];
}

function target(lb: LoadBalancer): string {
  return lb.containerPort === undefined ? `container "${lb.containerName}"` : `container "${lb.containerName}" port ${lb.containerPort}`;
}
