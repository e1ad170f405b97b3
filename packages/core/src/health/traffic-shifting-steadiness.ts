import type { Service, ServiceDeployment, ServiceRevision } from '@aws-sdk/client-ecs';
import { sameRevision, shortTaskDefinition } from '../common/identifiers';
import { stageReached } from '../ecs/lifecycle-stages';
import { isLeavingStatus } from '../ecs/service-deployment-statuses';
import type { SignalReading } from './signals';

/**
 * ECS's own blue/green, linear and canary deployments (the ECS controller with a strategy other than ROLLING) shift
 * traffic between two revisions that both run until clean-up: DescribeServices lists two deployments all through
 * the bake, so "one deployment" cannot be what steady means for them.
 */
export function shiftsTraffic(service: Service): boolean {
  return (service.deploymentController?.type ?? 'ECS') === 'ECS' && (service.deploymentConfiguration?.strategy ?? 'ROLLING') !== 'ROLLING';
}

/**
 * Steady, for a traffic-shifting deployment, at whatever stage: the target revision's tasks are all running (as many
 * as it requests, none pending) and the deployment is not being rolled back or stopped. Its target group's health is
 * a reading of its own (targetGroupsOfRevision). With `taskDefinition`, the target revision must run that revision.
 */
export function revisionSteadiness(
  service: Service,
  deployment: ServiceDeployment,
  revision: ServiceRevision | undefined,
  taskDefinition?: string,
): SignalReading {
  const source = `service ${service.serviceName}`;
  const strategy = service.deploymentConfiguration?.strategy ?? 'BLUE_GREEN';
  const status = deployment.status ?? 'UNKNOWN';
  const where = `${strategy} deployment ${status}${deployment.lifecycleStage && status === 'IN_PROGRESS' ? ` at ${deployment.lifecycleStage}` : ''}`;
  const target = deployment.targetServiceRevision;
  const running = revision?.taskDefinition;
  const revisionName = running ? shortTaskDefinition(running) : 'the target revision';
  if (taskDefinition !== undefined && running !== undefined && !sameRevision(running, taskDefinition)) {
    return {
      source,
      passed: false,
      detail: `the ${where} targets ${shortTaskDefinition(running)}, not ${shortTaskDefinition(taskDefinition)}: the deployment of ${shortTaskDefinition(taskDefinition)} was rolled back or replaced`,
    };
  }
  // A rollback, a stop: the revision being deployed is on its way out, however many of its tasks still run.
  if (isLeavingStatus(status)) {
    const reason = deployment.rollback?.reason ?? deployment.statusReason;
    return { source, passed: false, detail: `${where}: ${revisionName} is being rolled back or stopped${reason ? ` (${reason})` : ''}` };
  }
  // The live counts of DescribeServices (currentServiceRevisions) when it lists the revision; the deployment's own
  // otherwise. A finished deployment's counts are its last word, not the tasks running now.
  const live = service.currentServiceRevisions?.find((r) => r.arn !== undefined && r.arn === target?.arn) ?? target;
  const requested = live?.requestedTaskCount ?? 0;
  const runningCount = live?.runningTaskCount ?? 0;
  const pending = live?.pendingTaskCount ?? 0;
  const counts = `${runningCount} of ${requested} tasks of ${revisionName} running${pending ? `, ${pending} pending` : ''}`;
  // No task requested yet is a deployment still starting, unless the service asks for none at all.
  const starting = requested === 0 && (service.desiredCount ?? 0) > 0;
  if (starting || runningCount !== requested || pending > 0) return { source, passed: false, detail: `${counts} (${where})` };
  return { source, passed: true, detail: `steady${running ? ` on ${revisionName}` : ''}: ${counts} (${where})` };
}

/**
 * The target groups that serve the target revision: its resolvedConfiguration.loadBalancers (DescribeServiceRevisions),
 * which name the group its tasks are registered in, the alternate one of the service's configuration or the
 * production one, whichever this deployment's turn gave it. When the revision does not say, the stage does: the
 * alternate target group before the production shift, the production one after.
 */
export function targetGroupsOfRevision(service: Service, deployment: ServiceDeployment, revision: ServiceRevision | undefined): string[] {
  const resolved = (revision?.resolvedConfiguration?.loadBalancers ?? [])
    .map((lb) => lb.targetGroupArn)
    .filter((arn): arn is string => !!arn);
  if (resolved.length) return [...new Set(resolved)];
  // Before the production shift the new revision's tasks sit in the alternate target group (ECS developer guide,
  // blue/green deployments); an unknown stage counts as before it.
  const beforeProduction = deployment.status === 'IN_PROGRESS' && !stageReached(deployment.lifecycleStage, 'PRODUCTION_TRAFFIC_SHIFT');
  const groups = (service.loadBalancers ?? []).map((lb) =>
    beforeProduction ? (lb.advancedConfiguration?.alternateTargetGroupArn ?? lb.targetGroupArn) : lb.targetGroupArn,
  );
  return [...new Set(groups.filter((arn): arn is string => !!arn))];
}
