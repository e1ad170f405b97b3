import type { Inputs } from '../common/inputs';
import type { PreflightMode } from './check';

/** The values of the `preflight` input and the mode each stands for. */
const MODES = { true: 'fail', warn: 'warn', false: 'off' } as const satisfies Record<string, PreflightMode>;

/**
 * The `preflight` input of deploy-ecs and run-migration: `true` (the default: a failing check stops the step),
 * `warn` (it is reported and the step goes on) or `false` (checks that may be left out are not run).
 */
export function readPreflightMode(inputs: Inputs, name = 'preflight'): PreflightMode {
  return MODES[inputs.oneOf(name, Object.keys(MODES) as (keyof typeof MODES)[], 'true') ?? 'true'];
}
