import type { Context } from '../context';
import { clusterContainsServices, clusterContainsTasks, clusterNotFound, invalidParameter } from './errors';
import { optionalString } from './params';
import { clusterName } from '../arns';
import { renderCluster } from './render';
import { asArray } from './resolve';
import type { ClusterRecord, Json } from './state';
import { setTags } from './tags';
import { paginate } from './task-definitions';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function createCluster(ctx: Context, input: Json): ClusterRecord {
  const name = optionalString(input, 'clusterName') ?? 'default';
  if (!NAME.test(name)) throw invalidParameter('Cluster name must be 1-255 letters, numbers, hyphens and underscores.');
  const existing = ctx.ecs.clusters.get(name);
  // CreateCluster is idempotent for an ACTIVE cluster of the same name.
  if (existing?.status === 'ACTIVE') return existing;
  const cluster: ClusterRecord = {
    arn: ctx.arns.cluster(name),
    name,
    status: 'ACTIVE',
    createdAt: ctx.clock.now(),
    settings: asArray<Json>(input.settings).length ? asArray<Json>(input.settings) : [{ name: 'containerInsights', value: 'disabled' }],
    configuration: input.configuration as Json | undefined,
    capacityProviders: asArray<string>(input.capacityProviders),
    defaultCapacityProviderStrategy: asArray<Json>(input.defaultCapacityProviderStrategy),
  };
  ctx.ecs.clusters.set(name, cluster);
  setTags(ctx, cluster.arn, input.tags);
  return cluster;
}

export const clusterOperations = {
  CreateCluster(ctx: Context, input: Json) {
    return { cluster: renderCluster(ctx, createCluster(ctx, input), ['TAGS', 'SETTINGS', 'CONFIGURATIONS']) };
  },

  DescribeClusters(ctx: Context, input: Json) {
    const include = asArray<string>(input.include);
    const names = asArray<string>(input.clusters);
    const requested = names.length ? names : ['default'];
    const clusters: Json[] = [];
    const failures: Json[] = [];
    for (const value of requested) {
      const cluster = ctx.ecs.clusters.get(clusterName(value));
      if (cluster) clusters.push(renderCluster(ctx, cluster, include));
      else failures.push({ arn: value.startsWith('arn:') ? value : ctx.arns.cluster(value), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListClusters(ctx: Context, input: Json) {
    const arns = [...ctx.ecs.clusters.values()].filter((c) => c.status === 'ACTIVE').map((c) => c.arn);
    return paginate(arns, input, 'clusterArns');
  },

  DeleteCluster(ctx: Context, input: Json) {
    const cluster = ctx.ecs.clusters.get(clusterName(input.cluster as string | undefined));
    if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
    if (ctx.ecs.services.some((s) => s.cluster === cluster.name && s.status !== 'INACTIVE')) {
      throw clusterContainsServices();
    }
    if ([...ctx.ecs.tasks.values()].some((t) => t.cluster === cluster.name && t.lastStatus !== 'STOPPED')) {
      throw clusterContainsTasks();
    }
    cluster.status = 'INACTIVE';
    return { cluster: renderCluster(ctx, cluster, []) };
  },
};
