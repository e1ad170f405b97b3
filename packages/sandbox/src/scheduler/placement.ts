/**
 * Tasks the service scheduler cannot place: no container instance meets a task's requirements (EC2), or Fargate
 * has no capacity. Tests make a cluster, or one of its capacity providers, unable to place with
 * Sandbox.failPlacement. ECS then starts no task, says why in a service event (developer guide, "Amazon ECS
 * service event messages"), and counts every task it could not launch twice over:
 * - as a failed task of the deployment, which feeds the circuit breaker: "A task is considered a failure if the
 *   service scheduler can't launch the task" (Deployment.failedTasks, API reference);
 * - for the service throttle logic, whose causes include "a lack of resources with which to host your task, such
 *   as ports, memory, or CPU units in your cluster. In this case, you also see the insufficient resource service
 *   event message" (developer guide, "Amazon ECS service throttle logic").
 */
import { record, type Context } from '../context';
import { serviceEvent } from '../ecs/events';
import type { DeploymentRecord, ServiceRecord, TaskSetRecord } from '../ecs/state';
import type { PlacementFailure } from '../types';
import { countStartFailure } from './accounting';
import { noteFailedTask } from './circuit-breaker';

const NO_CONTAINER_INSTANCE = 'was unable to place a task because no container instance met all of its requirements.';
const NO_FARGATE_CAPACITY =
  'was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.';

function capacityProviderOf(deployment: DeploymentRecord | TaskSetRecord): string | undefined {
  return deployment.capacityProviderStrategy?.[0]?.capacityProvider as string | undefined;
}

function placementFailureFor(
  ctx: Context,
  service: ServiceRecord,
  deployment: DeploymentRecord | TaskSetRecord,
): PlacementFailure | undefined {
  const provider = capacityProviderOf(deployment);
  return ctx.placementFailures.find(
    (f) => f.cluster === service.cluster && (f.capacityProvider === undefined || f.capacityProvider === provider),
  );
}

function messageFor(deployment: DeploymentRecord | TaskSetRecord, failure: PlacementFailure): string {
  const fargate = deployment.launchType === 'FARGATE' || capacityProviderOf(deployment)?.startsWith('FARGATE');
  if (fargate) return NO_FARGATE_CAPACITY;
  return failure.reason ? `${NO_CONTAINER_INSTANCE} ${failure.reason}` : NO_CONTAINER_INSTANCE;
}

/**
 * "Duplicate event messages are omitted until either the cause is resolved or six hours passes" (developer
 * guide, "Amazon ECS service event messages"): the same message is not repeated until a task has started.
 */
function alreadySaid(service: ServiceRecord, message: string): boolean {
  for (const event of service.events) {
    if (event.message.endsWith(message)) return true;
    if (/ has started \d+ tasks: /.test(event.message)) return false;
  }
  return false;
}

/**
 * Whether the `count` tasks the scheduler is about to launch for `deployment` cannot be placed. When they
 * cannot, no task is created, ECS's event is sent, and each task counts as one the scheduler failed to launch
 * (for the circuit breaker only a deployment's: a task set has none).
 */
export function failedToPlace(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord | TaskSetRecord, count: number): boolean {
  const failure = placementFailureFor(ctx, service, deployment);
  if (!failure) return false;
  const message = messageFor(deployment, failure);
  if (!alreadySaid(service, message)) serviceEvent(ctx, service, message);
  service.steady = false;
  record(ctx, {
    kind: 'placement-failed',
    cluster: service.cluster,
    serviceName: service.name,
    deploymentId: deployment.id,
    taskDefinitionArn: deployment.taskDefinitionArn,
  });
  for (let i = 0; i < count; i++) {
    if ('rolloutState' in deployment) noteFailedTask(ctx, service, deployment);
    countStartFailure(ctx, service);
  }
  return true;
}
