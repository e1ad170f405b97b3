/**
 * Lifecycle hooks of a blue/green, linear or canary deployment (developer guide, "Lifecycle hooks for Amazon
 * ECS service deployments"): at each stage a hook lists, ECS runs it and moves on only once it succeeded.
 * - PAUSE: a hook run `ecs-pause-<id>` AWAITING_ACTION until ContinueServiceDeployment answers it, or until
 *   timeoutConfiguration.timeoutInMinutes (default 1440) pass: TIMED_OUT, then its action (ROLLBACK by default).
 * - AWS_LAMBDA: the function of hookTargetArn, here a local handler (Sandbox.registerLambdaHook) invoked with
 *   { executionDetails, hookDetails }; IN_PROGRESS asks to be invoked again after callBackDelay seconds (30
 *   by default), FAILED, an error or an invalid answer fail the deployment. A function with no handler fails
 *   as an invocation of a missing function would.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from '../context';
import type { HookRunRecord, LifecycleHookRecord, ServiceDeploymentRecord } from '../ecs/state';
import type { LambdaHookHandler, LambdaHookResponse } from '../types';

export const HOOK_FAILURE_REASON = 'deployment failed: hook execution failure(s) detected';
const DEFAULT_TIMEOUT_MINUTES = 1440;
const DEFAULT_CALLBACK_DELAY_SECONDS = 30;

export type HooksOutcome = { state: 'done' } | { state: 'waiting' } | { state: 'failed'; reason: string };

const hookId = (targetType: string) =>
  `${targetType === 'PAUSE' ? 'ecs-pause' : 'ecs-hook'}-${randomBytes(24).toString('base64url').slice(0, 32)}`;

/** The hooks configured for `stage`, in their order. */
function hooksAt(sd: ServiceDeploymentRecord, stage: string): Array<{ hook: LifecycleHookRecord; index: number }> {
  return (sd.deploymentConfiguration.lifecycleHooks ?? [])
    .map((hook, index) => ({ hook, index }))
    .filter(({ hook }) => hook.lifecycleStages.includes(stage));
}

/** Starts a run of every hook configured for the stage the service deployment just entered. */
export function startHooks(ctx: Context, sd: ServiceDeploymentRecord, stage: string): void {
  const now = ctx.clock.now();
  const runs = hooksAt(sd, stage).map(({ hook, index }): HookRunRecord => {
    const timeout = hook.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    return {
      hookId: hookId(hook.targetType),
      targetType: hook.targetType,
      hookTargetArn: hook.hookTargetArn,
      stage,
      status: hook.targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
      startedAt: now,
      expiresAt: now + ctx.clock.scaled(timeout * 60_000),
      timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
      index,
      nextInvokeAt: hook.targetType === 'PAUSE' ? undefined : now,
      hookDetails: hook.hookDetails,
    };
  });
  // The details list the current stage's hooks (earlier stages' runs are over).
  sd.lifecycleHookDetails = runs;
}

/** Where the stage's hooks stand: invokes Lambda handlers that are due, times out PAUSE hooks. */
export function checkHooks(ctx: Context, sd: ServiceDeploymentRecord): HooksOutcome {
  const now = ctx.clock.now();
  for (const run of sd.lifecycleHookDetails ?? []) {
    if (run.status === 'AWAITING_ACTION' && now >= run.expiresAt) {
      run.status = 'TIMED_OUT';
      sd.updatedAt = now;
    }
    if (run.status === 'TIMED_OUT' && run.timeoutAction !== 'CONTINUE')
      return { state: 'failed', reason: `Lifecycle hook ${run.hookId} timed out at ${run.stage}.` };
    if (run.status === 'FAILED') return { state: 'failed', reason: HOOK_FAILURE_REASON };
    if (run.targetType !== 'PAUSE' && run.status === 'IN_PROGRESS' && !run.invoking && now >= (run.nextInvokeAt ?? now))
      invokeLambda(ctx, sd, run);
  }
  const done = (sd.lifecycleHookDetails ?? []).every(
    (run) => run.status === 'SUCCEEDED' || (run.status === 'TIMED_OUT' && run.timeoutAction === 'CONTINUE'),
  );
  return done ? { state: 'done' } : { state: 'waiting' };
}

/** The hook run ContinueServiceDeployment names, or undefined. */
export function hookRun(sd: ServiceDeploymentRecord, id: string): HookRunRecord | undefined {
  return sd.lifecycleHookDetails?.find((run) => run.hookId === id);
}

function validAnswer(value: unknown): value is LambdaHookResponse {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as LambdaHookResponse;
  if (!['SUCCEEDED', 'FAILED', 'IN_PROGRESS'].includes(answer.hookStatus)) return false;
  return answer.callBackDelay === undefined || (Number.isInteger(answer.callBackDelay) && answer.callBackDelay >= 0);
}

function invokeLambda(ctx: Context, sd: ServiceDeploymentRecord, run: HookRunRecord): void {
  const handler: LambdaHookHandler | undefined = run.hookTargetArn ? ctx.lambdaHooks.get(run.hookTargetArn) : undefined;
  if (!handler) {
    // As ECS invoking a function that does not exist (ResourceNotFoundException): the hook fails.
    run.status = 'FAILED';
    sd.updatedAt = ctx.clock.now();
    return;
  }
  run.invoking = true;
  const event = {
    executionDetails: {
      serviceArn: sd.serviceArn,
      targetServiceRevisionArn: sd.targetServiceRevisionArn,
      testTrafficWeights: trafficWeights(sd, 'test'),
      productionTrafficWeights: trafficWeights(sd, 'production'),
    },
    hookDetails: run.hookDetails,
  };
  const settle = (answer: unknown) => {
    run.invoking = false;
    if (run.status !== 'IN_PROGRESS') return;
    const now = ctx.clock.now();
    sd.updatedAt = now;
    if (!validAnswer(answer)) run.status = 'FAILED';
    else if (answer.hookStatus === 'IN_PROGRESS') {
      run.nextInvokeAt = now + ctx.clock.scaled((answer.callBackDelay ?? DEFAULT_CALLBACK_DELAY_SECONDS) * 1000);
      if (answer.hookDetails !== undefined) run.hookDetails = answer.hookDetails;
    } else run.status = answer.hookStatus;
    ctx.kick();
  };
  Promise.resolve()
    .then(() => handler(structuredClone(event)))
    .then(settle, () => settle(undefined));
}

/** The weights a hook sees, by revision ARN: green's share on the target revision, the rest on the sources. */
function trafficWeights(sd: ServiceDeploymentRecord, which: 'test' | 'production'): Record<string, number> {
  const green = (which === 'test' ? sd.testTrafficWeight : sd.productionTrafficWeight) ?? 0;
  const weights: Record<string, number> = { [sd.targetServiceRevisionArn]: green };
  for (const arn of sd.sourceServiceRevisionArns) weights[arn] = 100 - green;
  return weights;
}

/**
 * On a rollback, "hooks at TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT run again" (developer guide): the
 * sandbox invokes each such Lambda hook once more, with the traffic back on the source revision, and does
 * not wait for or act on its answer (what ECS does with a failure then is not documented).
 */
export function rerunTrafficHooksOnRollback(ctx: Context, sd: ServiceDeploymentRecord): void {
  for (const stage of ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']) {
    for (const { hook, index } of hooksAt(sd, stage)) {
      if (hook.targetType !== 'AWS_LAMBDA') continue;
      const run: HookRunRecord = {
        hookId: hookId(hook.targetType),
        targetType: hook.targetType,
        hookTargetArn: hook.hookTargetArn,
        stage,
        status: 'IN_PROGRESS',
        startedAt: ctx.clock.now(),
        expiresAt: ctx.clock.now(),
        timeoutAction: 'ROLLBACK',
        index,
        hookDetails: hook.hookDetails,
      };
      invokeLambda(ctx, sd, run);
    }
  }
}
