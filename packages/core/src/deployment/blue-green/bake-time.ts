import type { Service } from '@aws-sdk/client-ecs';

// ECS's defaults when a strategy's configuration leaves them out (ECS API reference, LinearConfiguration and
// CanaryConfiguration).
const LINEAR_STEP_PERCENT = 10;
const LINEAR_STEP_BAKE_MINUTES = 6;
const CANARY_BAKE_MINUTES = 10;

/**
 * How long the service's deployments bake the new revision, in ms: bakeTimeInMinutes after production is wholly on
 * it, plus for LINEAR each step's bake (one fewer than the steps: the last step is followed by the final bake) and
 * for CANARY the canary's bake. A timeout shorter than this times out every healthy deploy.
 */
export function strategyBakeTimeMs(service: Service): number {
  const config = service.deploymentConfiguration;
  const finalBake = config?.bakeTimeInMinutes ?? 0;
  let stepBakes = 0;
  if (config?.strategy === 'LINEAR') {
    const stepPercent = config.linearConfiguration?.stepPercent ?? LINEAR_STEP_PERCENT;
    const steps = Math.ceil(100 / stepPercent - 1e-9);
    stepBakes = (steps - 1) * (config.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_STEP_BAKE_MINUTES);
  } else if (config?.strategy === 'CANARY') {
    const canaryPercent = config.canaryConfiguration?.canaryPercent ?? 0;
    if (canaryPercent < 100) stepBakes = config.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_BAKE_MINUTES;
  }
  return (finalBake + stepBakes) * 60_000;
}

/** Whether the service has a PAUSE lifecycle hook, the only thing wait-until paused can stop at. */
export function hasPauseHook(service: Service): boolean {
  return (service.deploymentConfiguration?.lifecycleHooks ?? []).some((hook) => hook.targetType === 'PAUSE');
}
