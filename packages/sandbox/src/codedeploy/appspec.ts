/**
 * The AppSpec of an ECS deployment (CodeDeploy user guide, "AppSpec 'resources' section for Amazon ECS
 * deployments" and "AppSpec 'hooks' section"), given as AppSpecContent: JSON or YAML (the `yaml` parser reads
 * both), checked against its sha256 when one is given. CreateDeployment refuses content that is not an AppSpec
 * with InvalidRevisionException (*unconfirmed* wording); whether the task definition and container exist is
 * ECS's question when the replacement task set is created (codedeploy/lifecycle); Hooks run there too (codedeploy/hooks).
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { Json } from '../ecs/state';
import { invalidRevision, revisionRequired } from './errors';
import type { AppSpecRecord } from './state';

/** The hooks an ECS AppSpec may name, in the order they run. */
export const HOOK_EVENTS = ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'];

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** The AppSpec text of an AppSpecContent revision, checked against its sha256 when one is given. */
export function revisionContent(revision: unknown): string {
  const given = asObject(revision);
  if (!given) throw revisionRequired();
  if (given.revisionType !== 'AppSpecContent')
    throw invalidRevision(`The sandbox takes ECS revisions as revisionType AppSpecContent, got ${JSON.stringify(given.revisionType)}.`);
  const appSpec = asObject(given.appSpecContent);
  if (typeof appSpec?.content !== 'string' || appSpec.content === '') throw invalidRevision('appSpecContent.content is required.');
  if (appSpec.sha256 !== undefined && appSpec.sha256 !== createHash('sha256').update(appSpec.content).digest('hex'))
    throw invalidRevision('The sha256 of appSpecContent does not match its content.');
  return appSpec.content;
}

/** The camelCase shape ECS takes of the AppSpec's PascalCase NetworkConfiguration. */
function networkConfiguration(value: unknown): Json | undefined {
  const vpc = asObject(asObject(value)?.AwsvpcConfiguration ?? asObject(value)?.awsvpcConfiguration);
  if (!vpc) return undefined;
  const out: Json = { subnets: vpc.Subnets ?? vpc.subnets, securityGroups: vpc.SecurityGroups ?? vpc.securityGroups };
  const assign = vpc.AssignPublicIp ?? vpc.assignPublicIp;
  if (assign !== undefined) out.assignPublicIp = assign;
  return out;
}

function capacityProviderStrategy(value: unknown): Json[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((item: Json) => ({ capacityProvider: item.CapacityProvider, base: item.Base ?? 0, weight: item.Weight ?? 0 }));
}

/** Hooks: a list of `{ <event>: <Lambda function> }`, each of the ECS hook events at most once. */
function readHooks(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw invalidRevision('The AppSpec Hooks must be a list of { <lifecycle event>: <Lambda function> }.');
  const hooks: Record<string, string> = {};
  for (const entry of value) {
    for (const [event, functionArn] of Object.entries(asObject(entry) ?? {})) {
      if (!HOOK_EVENTS.includes(event))
        throw invalidRevision(`${event} is not a lifecycle event hook of an ECS deployment (${HOOK_EVENTS.join(', ')}).`);
      if (hooks[event] !== undefined) throw invalidRevision(`The AppSpec names the ${event} hook more than once.`);
      if (typeof functionArn !== 'string' || functionArn === '') throw invalidRevision(`The ${event} hook must name a Lambda function.`);
      hooks[event] = functionArn;
    }
  }
  return hooks;
}

/** Reads and checks an AppSpec. */
export function readAppSpec(revision: unknown): AppSpecRecord {
  let document: unknown;
  try {
    document = parse(revisionContent(revision));
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidRevisionException') throw error;
    throw invalidRevision(`The AppSpec content is neither JSON nor YAML: ${(error as Error).message}`);
  }
  const spec = asObject(document);
  const resources = spec?.Resources;
  if (!spec || !Array.isArray(resources) || resources.length !== 1)
    throw invalidRevision('An ECS AppSpec needs Resources with exactly one TargetService.');
  const target = asObject(Object.values(asObject(resources[0]) ?? {})[0]);
  const properties = asObject(target?.Properties);
  if (target?.Type !== 'AWS::ECS::Service' || !properties)
    throw invalidRevision('The AppSpec resource must be of Type AWS::ECS::Service with Properties.');
  const loadBalancer = asObject(properties.LoadBalancerInfo);
  if (typeof properties.TaskDefinition !== 'string' || properties.TaskDefinition === '')
    throw invalidRevision('The AppSpec TargetService needs Properties.TaskDefinition.');
  if (typeof loadBalancer?.ContainerName !== 'string' || typeof loadBalancer.ContainerPort !== 'number')
    throw invalidRevision('The AppSpec TargetService needs LoadBalancerInfo with ContainerName and ContainerPort.');
  return {
    hooks: readHooks(spec.Hooks),
    taskDefinition: properties.TaskDefinition,
    containerName: loadBalancer.ContainerName,
    containerPort: loadBalancer.ContainerPort,
    platformVersion: typeof properties.PlatformVersion === 'string' ? properties.PlatformVersion : undefined,
    networkConfiguration: networkConfiguration(properties.NetworkConfiguration),
    capacityProviderStrategy: capacityProviderStrategy(properties.CapacityProviderStrategy),
  };
}
