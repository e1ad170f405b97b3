import { clusterName, lastPart } from '../arns';
import type { Context } from '../context';
import { clusterNotFound, serviceNotFound } from './errors';
import type { ClusterRecord, ServiceRecord, TaskDefinitionRecord } from './state';

/** The cluster by name or ARN; ECS's default cluster is `default`. */
export function requireCluster(ctx: Context, value: unknown): ClusterRecord {
  const cluster = ctx.ecs.clusters.get(clusterName(typeof value === 'string' ? value : undefined));
  if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
  return cluster;
}

/** The newest service of that name in the cluster, whatever its status. */
export function findService(ctx: Context, cluster: ClusterRecord, value: string): ServiceRecord | undefined {
  const name = lastPart(value);
  for (let i = ctx.ecs.services.length - 1; i >= 0; i--) {
    const service = ctx.ecs.services[i];
    if (service.cluster === cluster.name && service.name === name) return service;
  }
  return undefined;
}

export function requireService(ctx: Context, cluster: ClusterRecord, value: unknown): ServiceRecord {
  const service = typeof value === 'string' ? findService(ctx, cluster, value) : undefined;
  if (!service || service.status === 'INACTIVE') throw serviceNotFound();
  return service;
}

/**
 * A task definition by `family` (its latest ACTIVE revision), `family:revision` or full ARN, as
 * DescribeTaskDefinition, RunTask and CreateService accept it.
 */
export function findTaskDefinition(ctx: Context, value: unknown): TaskDefinitionRecord | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const reference = value.startsWith('arn:') ? value.slice(value.indexOf(':task-definition/') + ':task-definition/'.length) : value;
  const [family, revisionText] = reference.split(':');
  const revisions = ctx.ecs.taskDefinitions.get(family);
  if (!revisions) return undefined;
  if (revisionText === undefined) return [...revisions].reverse().find((r) => r.status === 'ACTIVE');
  const revision = Number(revisionText);
  return Number.isInteger(revision) ? revisions[revision - 1] : undefined;
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function asArray<T = unknown>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
