import type { Service } from '@aws-sdk/client-ecs';
import { oneOffPlacement, type PlacementOverrides, type TaskPlacement } from '../../ecs/task-placement';
import type { RegistrableDefinition } from '../../task-definition/strip';
import type { PreflightCheck } from '../check';

export interface AwsvpcSubnetsOptions {
  definition: RegistrableDefinition;
  /** The service whose network a one-off task borrows, when one was given. */
  service?: Service;
  overrides: PlacementOverrides;
}

/**
 * A one-off task can be placed: an awsvpc task has subnets (given or borrowed from the service), and network
 * inputs are given only for the awsvpc mode. Its value is the placement, so RunTask gets what was checked.
 */
export function awsvpcSubnetsCheck(options: AwsvpcSubnetsOptions): PreflightCheck<TaskPlacement> {
  return {
    id: 'awsvpc-subnets',
    title: 'Subnets for awsvpc',
    protects: false,
    // Needed: RunTask gets the placement it finds; skipped, the task would have none.
    needed: true,
    run: async () => {
      const placement = oneOffPlacement(options.definition, options.service, options.overrides);
      const subnets = placement.networkConfiguration?.awsvpcConfiguration?.subnets;
      if (!subnets)
        return {
          status: 'pass',
          detail: `${options.definition.networkMode ?? 'the default (bridge)'} network mode: no subnets needed`,
          value: placement,
        };
      const from = options.overrides.subnets.length ? "the 'subnets' input" : `service ${options.service?.serviceName}`;
      return { status: 'pass', detail: `awsvpc network mode: subnets ${subnets.join(', ')} (from ${from})`, value: placement };
    },
  };
}
