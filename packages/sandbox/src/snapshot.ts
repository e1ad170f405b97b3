import type { Context } from './context';

/** A deep, plain copy of every piece of state, for before/after comparisons in tests. */
export function snapshot(ctx: Context): unknown {
  const { ecs, logs } = ctx;
  return structuredClone({
    clusters: [...ecs.clusters.values()],
    taskDefinitions: Object.fromEntries(ecs.taskDefinitions),
    services: ecs.services,
    tasks: [...ecs.tasks.values()],
    serviceDeployments: [...ecs.serviceDeployments.values()],
    serviceRevisions: [...ecs.serviceRevisions.values()],
    tags: Object.fromEntries(ecs.tags),
    logGroups: [...logs.groups.values()].map((group) => ({ ...group, streams: [...group.streams.values()] })),
    // Targets without their health-check counters, which move with every check.
    targetGroups: [...ctx.elb.groups.values()].map(({ targets, ...group }) => ({
      ...group,
      targets: [...targets.values()].map(({ id, port, state, reason }) => ({ id, port, state, reason })),
    })),
    loadBalancers: [...ctx.elb.listeners.loadBalancers.values()],
    listeners: [...ctx.elb.listeners.byArn.values()],
    alarms: Object.fromEntries(ctx.alarms),
    codeDeployApplications: [...ctx.codedeploy.applications.values()],
    codeDeployDeploymentGroups: [...ctx.codedeploy.deploymentGroups.values()],
    codeDeployDeployments: [...ctx.codedeploy.deployments.values()],
    codeDeployRevisions: [...ctx.codedeploy.revisions.values()],
    eventRules: [...ctx.events.buses.values()].flatMap((bus) =>
      [...bus.rules.values()].map(({ targets, ...rule }) => ({ ...rule, targets: [...targets.values()] })),
    ),
    schedules: [...ctx.schedules.schedules.values()],
  });
}
