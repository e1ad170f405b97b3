/** The service scheduler's two moves, whatever the deployment strategy: start tasks of a deployment, stop tasks. */
import type { Context } from '../context';
import { serviceEvent, taskList } from '../ecs/events';
import type { DeploymentRecord, ServiceRecord, TaskRecord, TaskSetRecord } from '../ecs/state';
import { launchTask, stopTask } from '../tasks/lifecycle';
import { launchTags, setLaunchTags } from '../ecs/tags';
import { failedToPlace } from './placement';

/** Starts `count` tasks of `deployment` (or a task set), unless the cluster cannot place them (scheduler/placement). */
export function launchTasks(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord | TaskSetRecord, count: number): void {
  const cluster = ctx.ecs.clusters.get(service.cluster);
  const [family, revision] = deployment.taskDefinitionArn.slice(deployment.taskDefinitionArn.lastIndexOf('/') + 1).split(':');
  const taskDefinition = ctx.ecs.taskDefinitions.get(family)?.[Number(revision) - 1];
  if (!cluster || !taskDefinition) return;
  if (failedToPlace(ctx, service, deployment, count)) return;
  const started: TaskRecord[] = [];
  for (let i = 0; i < count; i++) {
    const task = launchTask(ctx, {
      cluster,
      taskDefinition,
      launchType: deployment.launchType,
      platformVersion: deployment.platformVersion,
      networkConfiguration: deployment.networkConfiguration,
      capacityProviderName: (deployment.capacityProviderStrategy?.[0]?.capacityProvider as string | undefined) ?? undefined,
      startedBy: deployment.id,
      group: `service:${service.name}`,
      enableExecuteCommand: service.enableExecuteCommand,
      serviceName: service.name,
      deploymentId: deployment.id,
    });
    setLaunchTags(ctx, task.arn, launchTags(ctx, service, task.taskDefinitionArn));
    started.push(task);
  }
  service.steady = false;
  serviceEvent(ctx, service, `has started ${started.length} tasks: ${taskList(started.map((t) => t.id))}.`);
}

/** Stops running tasks as scaling activity of `deployment`, with the one event ECS sends for them. */
export function stopTasks(ctx: Context, service: ServiceRecord, deployment: DeploymentRecord | TaskSetRecord, tasks: TaskRecord[]): void {
  if (tasks.length === 0) return;
  for (const task of tasks) stopTask(ctx, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${deployment.id})`);
  serviceEvent(ctx, service, `has stopped ${tasks.length} running tasks: ${taskList(tasks.map((t) => t.id))}.`);
}
