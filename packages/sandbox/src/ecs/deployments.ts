/**
 * Rolling deployments (`ecs-svc/...`) and the service deployments that group them: how they start and finish.
 * Used by the API (CreateService, UpdateService) and the scheduler; how they fail and roll back is in
 * ecs/deployment-failure.
 */
import { record, type Context } from '../context';
import { serviceDeploymentId } from '../ids';
import { armCircuitBreaker } from '../scheduler/circuit-breaker';
import { createRevision, demoteOthers, ENDED, newDeployment } from './deployment-records';
import { isActive, isLive, primaryOf, tasksOfDeployment } from './queries';
import { TRAFFIC_STRATEGIES } from './strategy-configuration';
import { supersede } from './superseded-deployment';
import { recordServiceDeploymentCreated, setServiceDeploymentStatus } from './service-deployment-progress';
import { serviceEvent } from './events';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord, TaskDefinitionRecord } from './state';

/** A new PRIMARY deployment of `taskDefinition`, in a new service deployment (CreateService, UpdateService). */
export function startDeployment(ctx: Context, service: ServiceRecord, taskDefinition: TaskDefinitionRecord): DeploymentRecord {
  const now = ctx.clock.now();
  // A newer deployment takes over; the one it replaces ends (ecs/superseded-deployment).
  for (const sd of ctx.ecs.serviceDeployments.values())
    if (sd.serviceArn === service.arn && !ENDED.has(sd.status)) supersede(ctx, service, sd);
  // The revisions it starts from: those whose tasks still run (for blue/green, linear and canary, not the
  // tasks of a superseded green, which are being stopped).
  const running = TRAFFIC_STRATEGIES.has(service.deploymentConfiguration.strategy ?? '') ? isActive : isLive;
  const sources = [
    ...new Set(service.deployments.filter((d) => tasksOfDeployment(ctx, d.id).some(running)).map((d) => d.serviceRevisionArn)),
  ];
  const revision = createRevision(ctx, service, taskDefinition);
  const sdArn = ctx.arns.serviceDeployment(service.cluster, service.name, serviceDeploymentId());
  const deployment = newDeployment(ctx, service, taskDefinition.arn, sdArn, revision.arn);
  const alarms = service.deploymentConfiguration.alarms;
  const sd: ServiceDeploymentRecord = {
    arn: sdArn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: now,
    updatedAt: now,
    sourceServiceRevisionArns: sources,
    targetServiceRevisionArn: revision.arn,
    status: 'PENDING',
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    ...armCircuitBreaker(service),
    alarms: { status: alarms?.enable ? 'MONITORING' : 'DISABLED', alarmNames: alarms?.alarmNames ?? [], triggeredAlarmNames: [] },
    deploymentIds: [deployment.id],
  };
  ctx.ecs.serviceDeployments.set(sd.arn, sd);
  recordServiceDeploymentCreated(ctx, sd);
  demoteOthers(ctx, service);
  service.deployments.unshift(deployment);
  service.taskDefinitionArn = taskDefinition.arn;
  service.currentServiceDeploymentArn = sd.arn;
  service.steady = false;
  // Updating to a new task definition takes the service out of throttling (Service throttle logic).
  service.throttle = { failures: 0, resumeAt: 0, announced: false };
  record(ctx, {
    kind: 'deployment-created',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: deployment.id,
    taskDefinitionArn: taskDefinition.arn,
  });
  ctx.kick();
  return deployment;
}

/** The deployment reached a steady state: COMPLETED, older deployments gone, the two events ECS sends. */
export function completeDeployment(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  const now = ctx.clock.now();
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = now;
  service.deployments = [deployment];
  service.lastCompleted = {
    deploymentId: deployment.id,
    taskDefinitionArn: deployment.taskDefinitionArn,
    serviceRevisionArn: deployment.serviceRevisionArn,
  };
  const sd = ctx.ecs.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (sd && !ENDED.has(sd.status)) {
    setServiceDeploymentStatus(ctx, sd, sd.rollback ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL');
    sd.finishedAt = now;
    sd.updatedAt = now;
    if (sd.circuitBreakerStatus === 'MONITORING') sd.circuitBreakerStatus = 'MONITORING_COMPLETE';
    if (sd.alarms.status === 'MONITORING') sd.alarms.status = 'MONITORING_COMPLETE';
  }
  serviceEvent(ctx, service, `(deployment ${deployment.id}) deployment completed.`);
  markSteady(ctx, service, deployment);
}

export function markSteady(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord): void {
  serviceEvent(ctx, service, 'has reached a steady state.');
  service.steady = true;
  record(ctx, {
    kind: 'steady-state',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: deployment.id,
    taskDefinitionArn: deployment.taskDefinitionArn,
  });
}

export { primaryOf };
