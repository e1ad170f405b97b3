import { DescribeTaskDefinitionCommand, type Deployment, type ECSClient, type Service, type Task } from '@aws-sdk/client-ecs';

export interface BlindSpotFacts {
  /** An essential container of the new revision defines a health check; undefined when the definition could not be read. */
  containerHealthCheck: boolean | undefined;
  /** The service registers its tasks with a load balancer (whose health checks ECS counts). */
  loadBalancer: boolean;
  /** How many of the failed tasks had reached RUNNING before they stopped (Task.startedAt is set then). */
  reachedRunning: number;
  failed: number;
  /** DeploymentCircuitBreaker.resetOnHealthyTask: true unless the service turned it off. */
  resetOnHealthyTask: boolean;
}

/**
 * Why ECS's circuit breaker does not count failures this step counts. ECS counts a task only if it never reached
 * RUNNING or failed a health check the service defines (Deployment.failedTasks, API reference; developer guide,
 * "How the Amazon ECS deployment circuit breaker detects failures", stages 1 and 2), and a task that turns healthy
 * resets the count to 0 unless resetOnHealthyTask is off (DeploymentCircuitBreaker, API reference).
 */
export function blindSpotReason(facts: BlindSpotFacts): string {
  const after =
    facts.reachedRunning === facts.failed
      ? 'they all reached RUNNING before they stopped'
      : `${facts.reachedRunning} of them reached RUNNING before they stopped`;
  if (facts.containerHealthCheck === false && !facts.loadBalancer) {
    return `the task definition defines no container health check and the service has no load balancer, so ECS does not count tasks that crash after reaching RUNNING, and ${after}`;
  }
  if (facts.containerHealthCheck === undefined && !facts.loadBalancer) {
    return `ECS counts a task only if it never reached RUNNING or failed a defined health check, the service has no load balancer, and ${after}`;
  }
  if (facts.resetOnHealthyTask) {
    return `${after}, and each task that passed its health checks first reset ECS's count to 0 (resetOnHealthyTask)`;
  }
  return `ECS counts a task only if it never reached RUNNING or failed a defined health check, and ${after}`;
}

/** Reads the new revision's health checks (one DescribeTaskDefinition call) and explains; never throws. */
export async function explainBreakerBlindSpot(
  ecs: ECSClient,
  service: Service,
  deployment: Deployment,
  failedTasks: Task[],
): Promise<string> {
  let containerHealthCheck: boolean | undefined;
  try {
    const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: deployment.taskDefinition }));
    const containers = answer.taskDefinition?.containerDefinitions;
    if (containers) containerHealthCheck = containers.some((c) => c.essential !== false && (c.healthCheck?.command?.length ?? 0) > 0);
  } catch {
    // The explanation is then less precise, not wrong.
  }
  return blindSpotReason({
    containerHealthCheck,
    loadBalancer: (service.loadBalancers ?? []).length > 0,
    reachedRunning: failedTasks.filter((task) => task.startedAt !== undefined).length,
    failed: failedTasks.length,
    resetOnHealthyTask: service.deploymentConfiguration?.deploymentCircuitBreaker?.resetOnHealthyTask !== false,
  });
}
