/**
 * The parts of deploymentConfiguration that only the ECS-native BLUE_GREEN, LINEAR and CANARY strategies use
 * (DeploymentConfiguration, LinearConfiguration, CanaryConfiguration and DeploymentLifecycleHook, API
 * reference), checked as CreateService and UpdateService check them and stored with their defaults.
 */
import { invalidParameter } from './errors';
import type { DeploymentConfigurationRecord, Json, LifecycleHookRecord } from './state';

export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
/** The strategies that move traffic between two target groups (scheduler/traffic-strategy). */
export const TRAFFIC_STRATEGIES = new Set(['BLUE_GREEN', 'LINEAR', 'CANARY']);

/** Where a hook may run (DeploymentLifecycleHook.lifecycleStages, API reference). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];
/** "PAUSE hooks cannot be configured for the TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages" (developer guide). */
const NO_PAUSE_AT = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

function minutes(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidParameter(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(value)}.`);
  return value;
}

function percent(name: string, value: unknown, min: number): number {
  // Percentages are given in steps of 0.1 (LinearConfiguration.stepPercent, CanaryConfiguration.canaryPercent).
  const tenths = typeof value === 'number' ? Math.round(value * 10) : NaN;
  if (typeof value !== 'number' || value < min || value > 100 || Math.abs(tenths - value * 10) > 1e-6)
    throw invalidParameter(`${name} must be between ${min} and 100 in steps of 0.1, got ${JSON.stringify(value)}.`);
  return tenths / 10;
}

function lifecycleHook(given: Json, index: number): LifecycleHookRecord {
  const where = `lifecycleHooks[${index}]`;
  const targetType = (given.targetType as string | undefined) ?? 'AWS_LAMBDA';
  if (!['AWS_LAMBDA', 'PAUSE'].includes(targetType))
    throw invalidParameter(`${where}.targetType must be AWS_LAMBDA or PAUSE, got ${JSON.stringify(targetType)}.`);
  const stages = given.lifecycleStages;
  if (!Array.isArray(stages) || stages.length === 0)
    throw invalidParameter(`${where}.lifecycleStages must list at least one of ${HOOK_STAGES.join(', ')}.`);
  for (const stage of stages) {
    if (!HOOK_STAGES.includes(String(stage)))
      throw invalidParameter(`${where}.lifecycleStages: ${JSON.stringify(stage)} is not one of ${HOOK_STAGES.join(', ')}.`);
    if (targetType === 'PAUSE' && NO_PAUSE_AT.includes(String(stage)))
      throw invalidParameter(`${where}: a PAUSE hook cannot be configured for the ${String(stage)} stage.`);
  }
  const hook: LifecycleHookRecord = { targetType, lifecycleStages: stages.map(String) };
  if (targetType === 'AWS_LAMBDA') {
    if (typeof given.hookTargetArn !== 'string' || !given.hookTargetArn.startsWith('arn:'))
      throw invalidParameter(`${where}.hookTargetArn must be the ARN of a Lambda function for an AWS_LAMBDA hook.`);
    if (typeof given.roleArn !== 'string' || !given.roleArn.startsWith('arn:'))
      throw invalidParameter(`${where}.roleArn must be the ARN of a role that lets ECS invoke the hook's Lambda function.`);
    hook.hookTargetArn = given.hookTargetArn;
    hook.roleArn = given.roleArn;
    if (given.hookDetails !== undefined) hook.hookDetails = given.hookDetails;
  } else if (given.hookTargetArn !== undefined || given.hookDetails !== undefined) {
    throw invalidParameter(`${where}: hookTargetArn and hookDetails are for AWS_LAMBDA hooks, not PAUSE hooks.`);
  }
  const timeout = given.timeoutConfiguration as Json | undefined;
  if (timeout !== undefined) {
    const action = (timeout.action as string | undefined) ?? 'ROLLBACK';
    if (!['ROLLBACK', 'CONTINUE'].includes(action))
      throw invalidParameter(`${where}.timeoutConfiguration.action must be ROLLBACK or CONTINUE, got ${JSON.stringify(action)}.`);
    hook.timeoutConfiguration = {
      timeoutInMinutes: minutes(`${where}.timeoutConfiguration.timeoutInMinutes`, timeout.timeoutInMinutes ?? 1440, 1, 20160),
      action,
    };
  }
  return hook;
}

/** Applies the strategy members of `given` (a DeploymentConfiguration) onto `config`, checked. */
export function applyStrategyConfiguration(given: Json, config: DeploymentConfigurationRecord): void {
  if (given.strategy !== undefined) {
    if (!STRATEGIES.includes(String(given.strategy)))
      throw invalidParameter(
        `deploymentConfiguration.strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(given.strategy)}.`,
      );
    config.strategy = given.strategy as string;
  }
  if (given.bakeTimeInMinutes !== undefined)
    config.bakeTimeInMinutes = minutes('deploymentConfiguration.bakeTimeInMinutes', given.bakeTimeInMinutes, 0, 1440);
  const linear = given.linearConfiguration as Json | undefined;
  if (linear !== undefined)
    config.linearConfiguration = {
      stepPercent: percent('linearConfiguration.stepPercent', linear.stepPercent ?? 10, 3),
      stepBakeTimeInMinutes: minutes('linearConfiguration.stepBakeTimeInMinutes', linear.stepBakeTimeInMinutes ?? 6, 0, 1440),
    };
  const canary = given.canaryConfiguration as Json | undefined;
  if (canary !== undefined)
    config.canaryConfiguration = {
      canaryPercent: percent('canaryConfiguration.canaryPercent', canary.canaryPercent ?? 5, 0.1),
      canaryBakeTimeInMinutes: minutes('canaryConfiguration.canaryBakeTimeInMinutes', canary.canaryBakeTimeInMinutes ?? 10, 0, 1440),
    };
  if (given.lifecycleHooks !== undefined) {
    if (!Array.isArray(given.lifecycleHooks)) throw invalidParameter('deploymentConfiguration.lifecycleHooks must be a list of hooks.');
    config.lifecycleHooks = (given.lifecycleHooks as Json[]).map(lifecycleHook);
  }
  // "You must provide this parameter when you use the BLUE_GREEN deployment strategy" (bakeTimeInMinutes,
  // API reference). For LINEAR and CANARY the reference does not say so; their final bake defaults to 0 here.
  if (config.strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined)
    throw invalidParameter('deploymentConfiguration.bakeTimeInMinutes is required for the BLUE_GREEN deployment strategy (0 to 1440).');
}

/** The traffic steps of a strategy, as green's share of production traffic after each step. */
export function productionSteps(config: DeploymentConfigurationRecord): number[] {
  if (config.strategy === 'LINEAR') {
    const step = config.linearConfiguration?.stepPercent ?? 10;
    const steps: number[] = [];
    for (let weight = step; weight < 100 - 1e-9; weight = Math.round((weight + step) * 10) / 10) steps.push(weight);
    return [...steps, 100];
  }
  if (config.strategy === 'CANARY') {
    const canary = config.canaryConfiguration?.canaryPercent ?? 5;
    return canary >= 100 ? [100] : [canary, 100];
  }
  return [100];
}

/** The bake between two production steps, in minutes (the bake after the last one is bakeTimeInMinutes). */
export function stepBakeMinutes(config: DeploymentConfigurationRecord): number {
  if (config.strategy === 'LINEAR') return config.linearConfiguration?.stepBakeTimeInMinutes ?? 6;
  if (config.strategy === 'CANARY') return config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
  return 0;
}
