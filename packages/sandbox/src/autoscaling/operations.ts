/**
 * Application Auto Scaling's scalable targets, as far as this suite and its tests use them (Application Auto Scaling
 * API reference): RegisterScalableTarget to create or update one, DescribeScalableTargets (what deploy-ecs asks
 * before it sets a desired count), DeregisterScalableTarget. The sandbox serves the `ecs` namespace's one kind of
 * target, an ECS service's desired count; it runs no scaling policies, so nothing here moves a count by itself.
 */
import type { Context } from '../context';
import { randomBytes } from 'node:crypto';
import { findService } from '../ecs/resolve';
import { invalidNextToken, objectNotFound, validation } from './errors';
import type { ScalableTargetRecord } from './state';

type Json = Record<string, unknown>;

/** ServiceNamespace's enum (API reference, ServiceNamespace). */
const NAMESPACES = [
  'ecs',
  'elasticmapreduce',
  'ec2',
  'appstream',
  'dynamodb',
  'rds',
  'sagemaker',
  'custom-resource',
  'comprehend',
  'lambda',
  'cassandra',
  'kafka',
  'elasticache',
  'neptune',
  'workspaces',
];
const ECS_DIMENSION = 'ecs:service:DesiredCount';
/** ResourceId and each of ResourceIds: "Length Constraints: Minimum length of 1. Maximum length of 1600." */
const MAX_RESOURCE_ID = 1600;
/** DescribeScalableTargets' MaxResults: "This value can be between 1 and 50. The default value is 50." */
const MAX_RESULTS = 50;
/** An ECS service's resource id: "service/my-cluster/my-service" (RegisterScalableTarget, ResourceId). */
const ECS_RESOURCE = /^service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;

const seconds = (ms: number) => ms / 1000;

/** AWS's wording of a constraint an input breaks (the "1 validation error detected" form of awsJson services). */
function constraint(value: unknown, field: string, rule: string) {
  return validation(`1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`);
}

function namespaceOf(input: Json): string {
  const namespace = input.ServiceNamespace;
  if (typeof namespace !== 'string' || !NAMESPACES.includes(namespace))
    throw constraint(namespace, 'serviceNamespace', `Member must satisfy enum value set: [${NAMESPACES.join(', ')}]`);
  return namespace;
}

function resourceIdOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length < 1) throw constraint(value, field, 'Member must have length greater than or equal to 1');
  if (value.length > MAX_RESOURCE_ID) throw constraint(value, field, `Member must have length less than or equal to ${MAX_RESOURCE_ID}`);
  return value;
}

/**
 * The target's dimension, checked against its namespace and resource: the sandbox serves an ECS service's desired
 * count only. AWS answers an unknown combination "Unsupported service namespace, resource type or scalable
 * dimension" (a ValidationException; its wording here is as users have quoted it, *unconfirmed* in the reference).
 */
function checkTarget(namespace: string, resourceId: string, dimension: unknown): string {
  if (typeof dimension !== 'string' || dimension === '') throw constraint(dimension, 'scalableDimension', 'Member must not be null');
  if (namespace !== 'ecs' || dimension !== ECS_DIMENSION || !ECS_RESOURCE.test(resourceId))
    throw validation('Unsupported service namespace, resource type or scalable dimension');
  return dimension;
}

function capacity(value: unknown, field: 'MinCapacity' | 'MaxCapacity'): number | undefined {
  if (value === undefined || value === null) return undefined;
  // "For the following resources, the minimum value allowed is 0: ... ECS services" (MinCapacity).
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw validation(`${field} must be an integer greater than or equal to 0.`);
  return value;
}

function render(record: ScalableTargetRecord): Json {
  return {
    ServiceNamespace: record.serviceNamespace,
    ResourceId: record.resourceId,
    ScalableDimension: record.scalableDimension,
    MinCapacity: record.minCapacity,
    MaxCapacity: record.maxCapacity,
    RoleARN: record.roleArn,
    CreationTime: seconds(record.creationTime),
    SuspendedState: { ...record.suspendedState },
    ScalableTargetARN: record.scalableTargetArn,
  };
}

/** Where a page of DescribeScalableTargets starts: the index the previous page ended at. */
function pageStart(token: unknown, total: number): number {
  if (token === undefined || token === null) return 0;
  const match = typeof token === 'string' ? /^page-(\d+)$/.exec(token) : null;
  if (!match || Number(match[1]) > total) throw invalidNextToken();
  return Number(match[1]);
}

export const autoScalingOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  RegisterScalableTarget(ctx, input) {
    const namespace = namespaceOf(input);
    const resourceId = resourceIdOf(input.ResourceId, 'resourceId');
    const dimension = checkTarget(namespace, resourceId, input.ScalableDimension);
    const [, cluster, name] = ECS_RESOURCE.exec(resourceId) as RegExpExecArray;
    const clusterRecord = ctx.ecs.clusters.get(cluster);
    const service = clusterRecord ? findService(ctx, clusterRecord, name) : undefined;
    // Application Auto Scaling checks the resource exists; the wording is *unconfirmed*.
    if (!service || service.status !== 'ACTIVE') throw validation(`ECS service doesn't exist: ${resourceId}`);
    const existing = ctx.autoscaling.get(namespace, resourceId, dimension);
    const min = capacity(input.MinCapacity, 'MinCapacity') ?? existing?.minCapacity;
    const max = capacity(input.MaxCapacity, 'MaxCapacity') ?? existing?.maxCapacity;
    // "This property is required when registering a new scalable target" (MinCapacity, MaxCapacity).
    if (min === undefined || max === undefined)
      throw validation('MinCapacity and MaxCapacity are required when registering a new scalable target.');
    if (min > max) throw validation('Minimum capacity cannot be greater than maximum capacity.');
    const given = (input.SuspendedState ?? {}) as Json;
    const flag = (key: keyof ScalableTargetRecord['suspendedState']) =>
      typeof given[key] === 'boolean' ? (given[key] as boolean) : (existing?.suspendedState[key] ?? false);
    const record: ScalableTargetRecord = {
      serviceNamespace: namespace,
      resourceId,
      scalableDimension: dimension,
      minCapacity: min,
      maxCapacity: max,
      // ECS supports a service-linked role, which Application Auto Scaling uses when RoleARN is not given.
      roleArn:
        (typeof input.RoleARN === 'string' ? input.RoleARN : undefined) ??
        existing?.roleArn ??
        `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
      creationTime: existing?.creationTime ?? ctx.clock.now(),
      suspendedState: {
        DynamicScalingInSuspended: flag('DynamicScalingInSuspended'),
        DynamicScalingOutSuspended: flag('DynamicScalingOutSuspended'),
        ScheduledScalingSuspended: flag('ScheduledScalingSuspended'),
      },
      scalableTargetArn:
        existing?.scalableTargetArn ??
        `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${randomBytes(16).toString('hex').slice(0, 28)}`,
    };
    ctx.autoscaling.put(record);
    return { ScalableTargetARN: record.scalableTargetArn };
  },

  DescribeScalableTargets(ctx, input) {
    const namespace = namespaceOf(input);
    const ids = input.ResourceIds;
    if (ids !== undefined && !Array.isArray(ids)) throw constraint(ids, 'resourceIds', 'Member must be a list');
    const resourceIds = (ids as unknown[] | undefined)?.map((id, index) => resourceIdOf(id, `resourceIds.${index + 1}.member`));
    const dimension = input.ScalableDimension;
    // "If you specify a scalable dimension, you must also specify a resource ID" (DescribeScalableTargets).
    if (dimension !== undefined && !resourceIds?.length)
      throw validation('If you specify a scalable dimension, you must also specify a resource ID.');
    const maxResults = input.MaxResults ?? MAX_RESULTS;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)
      throw validation(`MaxResults must be between 1 and ${MAX_RESULTS}.`);
    const matching = [...ctx.autoscaling.targets.values()].filter(
      (target) =>
        target.serviceNamespace === namespace &&
        (!resourceIds?.length || resourceIds.includes(target.resourceId)) &&
        (dimension === undefined || target.scalableDimension === dimension),
    );
    const start = pageStart(input.NextToken, matching.length);
    const page = matching.slice(start, start + maxResults);
    const next = start + page.length;
    return { ScalableTargets: page.map(render), ...(next < matching.length ? { NextToken: `page-${next}` } : {}) };
  },

  DeregisterScalableTarget(ctx, input) {
    const namespace = namespaceOf(input);
    const resourceId = resourceIdOf(input.ResourceId, 'resourceId');
    const dimension = input.ScalableDimension;
    if (typeof dimension !== 'string' || dimension === '') throw constraint(dimension, 'scalableDimension', 'Member must not be null');
    if (!ctx.autoscaling.delete(namespace, resourceId, dimension))
      throw objectNotFound(
        `No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
      );
    return {};
  },
};
