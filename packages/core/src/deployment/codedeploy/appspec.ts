import { createHash } from 'node:crypto';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { parse } from 'yaml';
import { ConfigurationError, errorMessage } from '../../common/errors';

/**
 * An ECS AppSpec (CodeDeploy user guide, "AppSpec 'resources' section for Amazon ECS deployments" and "AppSpec
 * 'hooks' section"): `version`, `Resources` with one TargetService of Type AWS::ECS::Service whose Properties name
 * the TaskDefinition, LoadBalancerInfo (ContainerName, ContainerPort) and optionally PlatformVersion,
 * NetworkConfiguration and CapacityProviderStrategy, and `Hooks` (a list of `{ <event>: <Lambda function> }`).
 */
export type AppSpec = Record<string, unknown>;

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * The AppSpec of a deployment of `taskDefinitionArn` to the service, from what the service runs with: its load
 * balancer's container and port, its platform version, its awsvpc configuration (in the AppSpec's capitalised
 * form) and its capacity provider strategy, each only when the service has it. No hooks: give an appspec file for those.
 */
export function appSpecForService(service: Service, taskDefinitionArn: string): AppSpec {
  const loadBalancer = service.loadBalancers?.find((lb) => lb.containerName && lb.containerPort !== undefined);
  if (!loadBalancer?.containerName || loadBalancer.containerPort === undefined) {
    throw new ConfigurationError(
      `Service "${service.serviceName}" has no load balancer with a container name and port, which a CodeDeploy blue/green deployment routes traffic to: give an AppSpec file in 'appspec' with its LoadBalancerInfo.`,
      'appspec',
    );
  }
  const properties: Json = {
    TaskDefinition: taskDefinitionArn,
    LoadBalancerInfo: { ContainerName: loadBalancer.containerName, ContainerPort: loadBalancer.containerPort },
  };
  if (service.platformVersion) properties.PlatformVersion = service.platformVersion;
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    const awsvpc: Json = { Subnets: vpc.subnets ?? [] };
    if (vpc.securityGroups?.length) awsvpc.SecurityGroups = vpc.securityGroups;
    if (vpc.assignPublicIp) awsvpc.AssignPublicIp = vpc.assignPublicIp;
    properties.NetworkConfiguration = { AwsvpcConfiguration: awsvpc };
  }
  if (service.capacityProviderStrategy?.length) {
    properties.CapacityProviderStrategy = service.capacityProviderStrategy.map((item) => ({
      CapacityProvider: item.capacityProvider,
      Base: item.base ?? 0,
      Weight: item.weight ?? 0,
    }));
  }
  return { version: 0.0, Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }] };
}

/**
 * The AppSpec file given in `input` (JSON or YAML: the `yaml` parser reads both), checked to hold exactly one ECS
 * TargetService with Properties, so that a wrong file is said before anything is registered.
 */
export function parseAppSpec(text: string, input = 'appspec', file?: string): AppSpec {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    // The yaml parser's errors carry the line they stopped at (linePos), JSON's mistakes included.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    throw new ConfigurationError(
      `Input '${input}': the AppSpec file is neither JSON nor YAML (${errorMessage(error)}).`,
      input,
      file === undefined ? undefined : { file, line, title: 'AppSpec file does not parse' },
    );
  }
  const spec = asObject(document);
  const resources = Array.isArray(spec?.Resources) ? (spec.Resources as unknown[]) : [];
  const targets = resources.map((resource) => Object.values(asObject(resource) ?? {})[0]).map(asObject);
  const ecs = targets.filter((target) => target?.Type === 'AWS::ECS::Service');
  if (!spec || ecs.length !== 1 || targets.length !== 1 || !asObject(ecs[0]?.Properties)) {
    throw new ConfigurationError(
      `Input '${input}': the AppSpec file must have Resources with exactly one TargetService of Type AWS::ECS::Service and its Properties ` +
        `(found ${ecs.length} ECS TargetService${ecs.length === 1 ? '' : 's'} among ${targets.length} resource${targets.length === 1 ? '' : 's'}). ` +
        'Its TaskDefinition is replaced with the revision this step deploys; LoadBalancerInfo, the network settings and Hooks are kept.',
      input,
      file === undefined ? undefined : { file, line: keyLine(text, 'Resources') ?? 1, title: 'AppSpec file has one ECS TargetService' },
    );
  }
  return spec;
}

/** The line of a top-level key, in YAML (`Resources:`) or JSON (`"Resources":`) alike. */
function keyLine(text: string, key: string): number | undefined {
  const index = text.split('\n').findIndex((line) => new RegExp(`^\\s*["']?${key}["']?\\s*:`).test(line));
  return index < 0 ? undefined : index + 1;
}

/** The AppSpec with its one TargetService's TaskDefinition set to the revision deployed; everything else as it was. */
export function withTaskDefinition(spec: AppSpec, taskDefinitionArn: string): AppSpec {
  const copy = structuredClone(spec);
  const properties = targetProperties(copy);
  if (properties) properties.TaskDefinition = taskDefinitionArn;
  return copy;
}

/** The revision CreateDeployment takes: the AppSpec as JSON content with its SHA-256, so CodeDeploy can check it. */
export function appSpecRevision(spec: AppSpec): RevisionLocation {
  const content = JSON.stringify(spec);
  return {
    revisionType: 'AppSpecContent',
    appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
  };
}

/** The TaskDefinition an AppSpec content deploys (a deployment's revision), when it can be read. */
export function appSpecTaskDefinition(content: string | undefined): string | undefined {
  if (!content) return undefined;
  try {
    const taskDefinition = targetProperties(asObject(parse(content)) ?? {})?.TaskDefinition;
    return typeof taskDefinition === 'string' && taskDefinition !== '' ? taskDefinition : undefined;
  } catch {
    return undefined;
  }
}

function targetProperties(spec: AppSpec): Json | undefined {
  const resources = Array.isArray(spec.Resources) ? (spec.Resources as unknown[]) : [];
  const target = asObject(Object.values(asObject(resources[0]) ?? {})[0]);
  return asObject(target?.Properties);
}
