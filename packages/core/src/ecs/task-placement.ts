import type { AssignPublicIp, CapacityProviderStrategyItem, LaunchType, NetworkConfiguration, Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../common/errors';
import type { RegistrableDefinition } from '../task-definition/strip';

/** What a person may set for a one-off task; each field given wins over what the service has. */
export interface PlacementOverrides {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: AssignPublicIp;
  launchType?: LaunchType;
}

/** The RunTask parameters that say where and how a task runs. */
export interface TaskPlacement {
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
}

/**
 * Where a one-off task of `definition` runs: in the service's own network, launch type or capacity providers
 * and platform version, so it reaches what the service reaches (its database, above all), with the explicit
 * inputs winning field by field. An awsvpc task needs subnets; without any, this fails before anything starts.
 */
export function oneOffPlacement(
  definition: RegistrableDefinition,
  service: Service | undefined,
  overrides: PlacementOverrides,
): TaskPlacement {
  const placement: TaskPlacement = {};
  if (overrides.launchType) placement.launchType = overrides.launchType;
  else if (service?.capacityProviderStrategy?.length) placement.capacityProviderStrategy = service.capacityProviderStrategy;
  else if (service?.launchType) placement.launchType = service.launchType;
  else if (onlyFargate(definition)) placement.launchType = 'FARGATE';

  const fargate =
    placement.launchType === 'FARGATE' || placement.capacityProviderStrategy?.some((item) => item.capacityProvider?.startsWith('FARGATE'));
  if (fargate && service?.platformVersion && !overrides.launchType) placement.platformVersion = service.platformVersion;

  const network = networkFor(definition, service, overrides);
  if (network) placement.networkConfiguration = network;
  return placement;
}

function networkFor(
  definition: RegistrableDefinition,
  service: Service | undefined,
  overrides: PlacementOverrides,
): NetworkConfiguration | undefined {
  const borrowed = service?.networkConfiguration?.awsvpcConfiguration;
  const explicit = overrides.subnets.length > 0 || overrides.securityGroups.length > 0 || overrides.assignPublicIp !== undefined;
  if (definition.networkMode !== 'awsvpc') {
    if (explicit) {
      const input = overrides.subnets.length ? 'subnets' : overrides.securityGroups.length ? 'security-groups' : 'assign-public-ip';
      throw new ConfigurationError(
        `Input '${input}' applies only to task definitions in the awsvpc network mode, but family ${definition.family} uses ${definition.networkMode ?? 'the default (bridge)'} mode; remove it.`,
        input,
      );
    }
    return undefined;
  }
  const subnets = overrides.subnets.length ? overrides.subnets : (borrowed?.subnets ?? []);
  if (subnets.length === 0) {
    throw new ConfigurationError(
      `Input 'subnets' is needed: task definition family ${definition.family} uses the awsvpc network mode, so the task must be placed in subnets, ` +
        `and ${service ? `service ${service.serviceName} has no network configuration to borrow` : "no 'service' was given to borrow them from"}. ` +
        "Set 'subnets' (one subnet ID a line, e.g. subnet-0a1b2c3d) and 'security-groups', or set 'service'. Nothing was started.",
      'subnets',
    );
  }
  const securityGroups = overrides.securityGroups.length ? overrides.securityGroups : borrowed?.securityGroups;
  const assignPublicIp = overrides.assignPublicIp ?? borrowed?.assignPublicIp;
  return {
    awsvpcConfiguration: {
      subnets,
      ...(securityGroups?.length ? { securityGroups } : {}),
      ...(assignPublicIp ? { assignPublicIp } : {}),
    },
  };
}

function onlyFargate(definition: RegistrableDefinition): boolean {
  const wanted = definition.requiresCompatibilities ?? [];
  return wanted.length === 1 && wanted[0] === 'FARGATE';
}
