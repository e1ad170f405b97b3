import { record, type Context } from '../context';
import { tasksOfDeployment } from '../ecs/queries';
import type { ServiceRecord } from '../ecs/state';
import { taskTargetHealth } from '../tasks/load-balancer';
import { noteTaskHealthy, resetThrottle } from './accounting';
import { isHealthyForScheduler } from './health';

/**
 * Tasks the scheduler counts as healthy for the first time (what that means for the breaker: scheduler/accounting),
 * of the service's deployments or, under CODE_DEPLOY, its task sets.
 */
export function noteHealthyTasks(ctx: Context, service: ServiceRecord, now: number): void {
  for (const deployment of [...service.deployments, ...service.taskSets]) {
    for (const task of tasksOfDeployment(ctx, deployment.id)) {
      if (task.healthyAt !== undefined) continue;
      if (
        !isHealthyForScheduler(
          task,
          now,
          ctx.clock.scale,
          taskTargetHealth(ctx, task).map((t) => t.target),
        )
      )
        continue;
      task.healthyAt = now;
      record(ctx, {
        kind: 'task-healthy',
        cluster: service.cluster,
        serviceName: service.name,
        deploymentId: deployment.id,
        taskArn: task.arn,
        taskDefinitionArn: task.taskDefinitionArn,
      });
      if ('rolloutState' in deployment) noteTaskHealthy(ctx, service, deployment, task);
      else resetThrottle(service.throttle);
    }
  }
}
