import type { ContainerDefinition, Service } from '@aws-sdk/client-ecs';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { PreflightCheck } from '../check';

export interface HealthCheckGraceOptions {
  service: Service;
  /** The revision the service is about to run, rendered with the step's changes. */
  definition: RegistrableDefinition;
  /** For the command the fix names. */
  cluster: string;
  /** The grace period the step sets (health-check-grace-period), when given: the one the new tasks start under. */
  gracePeriodSeconds?: number;
}

/** The longest start period an essential container of the revision declares, and whose it is. */
export interface DeclaredStart {
  container: string;
  startPeriodSeconds: number;
}

/**
 * Whether the service's health check grace period covers the start-up the new revision declares. ECS "ignores
 * unhealthy Elastic Load Balancing, VPC Lattice, and container health checks after a task has first started" for
 * healthCheckGracePeriodSeconds, 0 when unset (CreateService, API reference). A container health check's own
 * startPeriod already keeps its failures from counting while the container starts (HealthCheck, API reference), so
 * the grace period protects start-up from container health checks only past it; a load balancer's (or VPC
 * Lattice's) health checks have no start period of their own, and from the grace period's end an unhealthy target
 * gets the task stopped. So the declared start period is compared with the grace period only for a service behind
 * a load balancer or VPC Lattice.
 *
 * A warning, never a failure: the start period is the longest the container may take, not what it takes, and a
 * load balancer marks a target unhealthy only after UnhealthyThresholdCount failed checks in a row, which a fast
 * start may never reach. No AWS call.
 */
export function healthCheckGraceCheck(options: HealthCheckGraceOptions): PreflightCheck<undefined> {
  return {
    id: 'health-check-grace',
    title: 'Health check grace period',
    protects: false,
    run: async () => {
      const { service } = options;
      const name = service.serviceName ?? 'the service';
      const given = options.gracePeriodSeconds;
      const grace = given ?? service.healthCheckGracePeriodSeconds ?? 0;
      const graceText =
        given !== undefined
          ? `${grace} s (health-check-grace-period)`
          : `${grace} s${service.healthCheckGracePeriodSeconds === undefined ? ' (unset)' : ''}`;
      const balancer = balancerWords(service);
      const start = declaredStart(options.definition.containerDefinitions ?? []);
      if (!balancer) {
        return {
          status: 'pass',
          detail: start
            ? `service "${name}" has no load balancer: its container health checks' start period (${start.startPeriodSeconds} s) covers start-up`
            : `service "${name}" has no load balancer and the new revision declares no start period`,
        };
      }
      if (!start) return { status: 'pass', detail: `the new revision declares no start period; grace period ${graceText}` };
      if (grace >= start.startPeriodSeconds)
        return {
          status: 'pass',
          detail: `grace period ${graceText} covers container "${start.container}"'s start period (${start.startPeriodSeconds} s)`,
        };
      return {
        status: 'warn',
        detail:
          `Container "${start.container}" of the new revision may take up to ${start.startPeriodSeconds} s to start (its health check's startPeriod), ` +
          `but service "${name}" ignores failed ${balancer} health checks for only ${graceText} after a task starts (healthCheckGracePeriodSeconds): ` +
          'ECS may stop its tasks while they are still starting.',
        fix:
          `Give the service a grace period of at least ${start.startPeriodSeconds} s, and more by HealthyThresholdCount × HealthCheckIntervalSeconds ` +
          'of the target group if its targets turn unhealthy while they start (an unhealthy target needs that many passing checks to be healthy again): ' +
          `health-check-grace-period: ${start.startPeriodSeconds} on this step, or aws ecs update-service --cluster ${options.cluster} --service ${name} --health-check-grace-period-seconds ${start.startPeriodSeconds} ` +
          '(this starts no deployment).',
      };
    },
  };
}

/** The longest startPeriod of the essential containers (essential unless false) with a health check command. */
export function declaredStart(containers: ContainerDefinition[]): DeclaredStart | undefined {
  let longest: DeclaredStart | undefined;
  for (const container of containers) {
    if (container.essential === false || !hasHealthCheck(container)) continue;
    const seconds = container.healthCheck?.startPeriod ?? 0;
    if (seconds > 0 && seconds > (longest?.startPeriodSeconds ?? 0))
      longest = { container: container.name ?? 'unnamed', startPeriodSeconds: seconds };
  }
  return longest;
}

/** A health check with a command ECS runs: `NONE` turns off the image's own (HealthCheck.command, API reference). */
function hasHealthCheck(container: ContainerDefinition): boolean {
  const command = container.healthCheck?.command ?? [];
  return command.length > 0 && command[0] !== 'NONE';
}

/**
 * Which health checks outside the task the grace period holds back, in words; undefined for none. A service's VPC
 * Lattice configurations show on its deployments (Deployment.vpcLatticeConfigurations, API reference), not on it.
 */
export function balancerWords(service: Service): string | undefined {
  const elb = (service.loadBalancers ?? []).length > 0;
  const lattice = (service.deployments ?? []).some((deployment) => (deployment.vpcLatticeConfigurations ?? []).length > 0);
  if (elb && lattice) return 'load balancer and VPC Lattice';
  if (elb) return 'load balancer';
  return lattice ? 'VPC Lattice' : undefined;
}
