/**
 * AppSpec hooks (CodeDeploy user guide, "AppSpec 'hooks' section" for ECS): at BeforeInstall, AfterInstall,
 * AfterAllowTestTraffic, BeforeAllowTraffic and AfterAllowTraffic CodeDeploy invokes the hook's Lambda function
 * with { DeploymentId, LifecycleEventHookExecutionId } and waits for PutLifecycleEventHookExecutionStatus:
 * Succeeded moves on, Failed fails the deployment with HOOK_EXECUTION_FAILURE. Here the function is a local handler
 * (Sandbox.registerCodeDeployHook); a function the sandbox does not know fails the event at once, an answer that
 * never comes fails it after HOOK_TIMEOUT_MS (an hour, the guide's limit for a hook: *unconfirmed* as the
 * sandbox reads it), and the error messages are *unconfirmed*.
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import type { Json } from '../ecs/state';
import { uuid } from '../ids';
import { requireDeployment } from './deployments';
import type { DeploymentRecord, LifecycleEventRecord } from './state';

const HOOK_TIMEOUT_MS = 60 * 60_000;
export const HOOK_FAILED = 'HOOK_EXECUTION_FAILURE';

/** Invokes the event's hook, if the AppSpec names one; the event then waits for its answer (hookAnswered). */
export function invokeHook(ctx: Context, deployment: DeploymentRecord, event: LifecycleEventRecord): void {
  const functionArn = deployment.appSpec.hooks[event.lifecycleEventName];
  if (!functionArn) return;
  const executionId = uuid();
  event.hook = { functionArn, executionId, status: 'Pending', expiresAt: ctx.clock.now() + ctx.clock.scaled(HOOK_TIMEOUT_MS) };
  const handler = ctx.codeDeployHooks.get(functionArn);
  if (!handler) {
    event.hook.status = 'Failed';
    event.hook.expiresAt = ctx.clock.now();
    return;
  }
  // Asynchronous, as CodeDeploy invokes it: an error in the function is only a hook that never answers.
  ctx.clock.soon(() => {
    Promise.resolve()
      .then(() => handler({ DeploymentId: deployment.deploymentId, LifecycleEventHookExecutionId: executionId }))
      .catch((error: unknown) => console.error(`sandbox: CodeDeploy hook ${functionArn} threw`, error));
  });
}

/** Whether the event's hook (if any) let it succeed; throws the deployment's failure when it failed or timed out. */
export function hookAnswered(ctx: Context, event: LifecycleEventRecord): boolean {
  const hook = event.hook;
  if (!hook || hook.status === 'Succeeded') return true;
  if (hook.status === 'Failed') {
    const known = ctx.codeDeployHooks.has(hook.functionArn);
    throw new AwsError(
      HOOK_FAILED,
      known
        ? `The ${event.lifecycleEventName} hook ${hook.functionArn} reported Failed.`
        : `The ${event.lifecycleEventName} hook's Lambda function ${hook.functionArn} could not be invoked.`,
    );
  }
  if (ctx.clock.now() >= hook.expiresAt)
    throw new AwsError(HOOK_FAILED, `The ${event.lifecycleEventName} hook ${hook.functionArn} did not report a status within an hour.`);
  return false;
}

const invalidExecutionId = () =>
  new AwsError(
    'InvalidLifecycleEventHookExecutionIdException',
    'A lifecycle event hook is invalid. Review the hooks section in your AppSpec file to ensure the lifecycle events and hooks functions are valid.',
  );
const invalidStatus = () =>
  new AwsError(
    'InvalidLifecycleEventHookExecutionStatusException',
    'The result of a Lambda validation function that verifies a lifecycle event is invalid. It should return Succeeded or Failed.',
  );
const alreadyCompleted = () =>
  new AwsError(
    'LifecycleEventAlreadyCompletedException',
    'An attempt to return the status of an already completed lifecycle event occurred.',
  );

export const hookOperations = {
  /** The messages are the model's descriptions of the exceptions. */
  PutLifecycleEventHookExecutionStatus(ctx: Context, input: Json) {
    const deployment = requireDeployment(ctx, input.deploymentId);
    const event = deployment.target.lifecycleEvents.find((e) => e.hook?.executionId === input.lifecycleEventHookExecutionId);
    if (!event?.hook) throw invalidExecutionId();
    if (input.status !== 'Succeeded' && input.status !== 'Failed') throw invalidStatus();
    if (event.hook.status !== 'Pending' || event.status !== 'InProgress') throw alreadyCompleted();
    event.hook.status = input.status;
    ctx.kick();
    return { lifecycleEventHookExecutionId: event.hook.executionId };
  },
};
