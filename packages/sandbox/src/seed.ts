import { readFileSync } from 'node:fs';
import type { Context } from './context';
import { putMetricAlarm } from './cloudwatch/operations';
import { createCluster } from './ecs/clusters';
import { createService } from './ecs/services';
import { registerTaskDefinition } from './ecs/task-definitions';
import { elbOperations } from './elb/operations';
import { createRepositoryIn } from './ecr/operations';
import { secretsManagerOperations } from './secretsmanager/operations';
import { ssmOperations } from './ssm/operations';
import type { QueryInput, QueryValue } from './query/codec';
import type { SeedState } from './types';

export function loadSeedFile(path: string): SeedState {
  return JSON.parse(readFileSync(path, 'utf8')) as SeedState;
}

/** Creates seed state through the same functions the API calls, so seeded resources obey the same rules. */
export async function applySeed(ctx: Context, seed: SeedState): Promise<void> {
  for (const cluster of seed.clusters ?? []) createCluster(ctx, typeof cluster === 'string' ? { clusterName: cluster } : cluster);
  for (const policy of seed.managedPolicies ?? []) ctx.iam.putManagedPolicy(policy);
  for (const role of seed.roles ?? []) ctx.iam.put(role, ctx.clock.now());
  for (const definition of seed.taskDefinitions ?? []) registerTaskDefinition(ctx, definition);
  for (const group of seed.logGroups ?? []) if (!ctx.logs.groups.has(group)) ctx.logs.createGroup(group, ctx.clock.now());
  for (const parameter of seed.parameters ?? []) ssmOperations.PutParameter(ctx, parameter);
  for (const { versions, ...secret } of seed.secrets ?? []) {
    const created = secretsManagerOperations.CreateSecret(ctx, secret);
    for (const version of versions ?? []) secretsManagerOperations.PutSecretValue(ctx, { ...version, SecretId: created.ARN });
  }
  // Target groups before services, which name them in `loadBalancers`.
  for (const { Attributes, ...group } of seed.targetGroups ?? []) {
    const created = await elbOperations.CreateTargetGroup(ctx, asQuery(group) as QueryInput);
    const arn = (created.TargetGroups as Array<{ TargetGroupArn: string }>)[0].TargetGroupArn;
    if (Attributes) await elbOperations.ModifyTargetGroupAttributes(ctx, { TargetGroupArn: arn, Attributes: asQuery(Attributes) });
  }
  // As their owner creates them: CreateRepository in its own registry, then SetRepositoryPolicy.
  for (const { registryId, policyText, ...repository } of seed.otherAccountRepositories ?? []) {
    if (registryId === ctx.accountId)
      throw new Error(
        `seed: otherAccountRepositories names the sandbox's own account ${registryId}; create that repository with CreateRepository`,
      );
    createRepositoryIn(ctx, registryId, repository, typeof policyText === 'object' ? JSON.stringify(policyText) : policyText);
  }
  for (const service of seed.services ?? []) createService(ctx, withTargetGroupArns(ctx, service));
  for (const alarm of seed.alarms ?? []) putMetricAlarm(ctx, alarm);
}

/** A seed may name a target group it creates (`targetGroupName`) where the API wants its generated ARN. */
function withTargetGroupArns(ctx: Context, service: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(service.loadBalancers)) return service;
  const loadBalancers = (service.loadBalancers as Array<Record<string, unknown>>).map(({ targetGroupName, ...lb }) => {
    if (targetGroupName === undefined) return lb;
    const group = [...ctx.elb.groups.values()].find((g) => g.name === targetGroupName);
    if (!group)
      throw new Error(
        `seed: service ${String(service.serviceName)} names target group ${String(targetGroupName)}, which the seed does not create`,
      );
    return { ...lb, targetGroupArn: group.arn };
  });
  return { ...service, loadBalancers };
}

/** A JSON request shape as the awsQuery parser yields it: every scalar a string. */
function asQuery(value: unknown): QueryValue {
  if (Array.isArray(value)) return value.map(asQuery);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asQuery(v)]));
  return String(value);
}
